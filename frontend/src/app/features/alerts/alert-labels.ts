import { AlertChannel, AlertDeliveryStatus, AlertKind } from '@pim/api-client';

export const ALERT_KINDS: readonly AlertKind[] = ['emerging', 'spike', 'critical', 'regression'];

export const KIND_LABELS: Record<AlertKind, string> = {
  emerging: 'Emerging',
  spike: 'Spike',
  critical: 'Critical',
  regression: 'Regression',
};

export const CHANNEL_LABELS: Record<AlertChannel, string> = { slack: 'Slack', email: 'E-mail', webhook: 'Webhook' };

export const DELIVERY_LABELS: Record<AlertDeliveryStatus, string> = {
  pending: 'pending',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
};
