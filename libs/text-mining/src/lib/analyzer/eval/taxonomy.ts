/**
 * A plausible B2B SaaS taxonomy for the agreement script (the product's default taxonomy lives in the
 * backend's database seed; this one is written independently of the simulator's templates).
 */
import { AnalyzerTaxonomy } from '../types';

export const EVAL_TAXONOMY: AnalyzerTaxonomy = {
  categories: [
    {
      name: 'Billing & Payments',
      description: 'Charges, payments, invoices, refunds and subscription plans',
      keywords: ['billing', 'charge', 'payment', 'invoice', 'refund', 'card', 'subscription'],
      subcategories: [
        {
          name: 'Charges & Refunds',
          description: 'Wrong, failed or duplicate charges and refunds',
          keywords: ['charged', 'refund', 'credit card', 'payment'],
        },
        {
          name: 'Invoices',
          description: 'Invoice contents, copies, tax and billing details',
          keywords: ['invoice', 'vat', 'receipt', 'credit note'],
        },
        {
          name: 'Plans & Upgrades',
          description: 'Plan changes, upgrades, downgrades, seats and pricing',
          keywords: ['plan', 'upgrade', 'downgrade', 'pricing', 'seats'],
        },
      ],
    },
    {
      name: 'Login & Access',
      description: 'Signing in, single sign-on, passwords and two-factor authentication',
      keywords: ['login', 'sign in', 'access', 'locked out'],
      subcategories: [
        {
          name: 'SSO / SAML',
          description: 'Single sign-on with an identity provider (SAML, OIDC)',
          keywords: ['sso', 'saml', 'okta', 'azure ad', 'identity provider', 'idp', 'certificate'],
        },
        {
          name: 'Passwords & 2FA',
          description: 'Password resets, lockouts and two-factor codes',
          keywords: ['password', 'reset', '2fa', 'mfa', 'locked'],
        },
      ],
    },
    {
      name: 'Permissions & Roles',
      description: 'User roles, access rights and sharing of content',
      keywords: ['permission', 'role', 'access rights', 'read-only'],
      subcategories: [
        {
          name: 'Roles',
          description: 'What admins, editors and viewers can do',
          keywords: ['admin', 'editor', 'viewer', 'role'],
        },
        {
          name: 'Sharing',
          description: 'Sharing dashboards and reports with people and groups',
          keywords: ['share', 'shared', 'public link'],
        },
      ],
    },
    {
      name: 'Data Export & Import',
      description: 'Getting data out of and into the product as files',
      keywords: ['export', 'import', 'download', 'file'],
      subcategories: [
        {
          name: 'CSV / Excel export',
          description: 'Exporting reports and tables to CSV or XLSX',
          keywords: ['csv', 'xlsx', 'excel', 'export'],
        },
        {
          name: 'Scheduled exports',
          description: 'Exports delivered by email on a schedule',
          keywords: ['scheduled export', 'email export', 'schedule'],
        },
        { name: 'Import', description: 'Uploading files and importing data', keywords: ['import', 'upload'] },
      ],
    },
    {
      name: 'Dashboards & Reports',
      description: 'Building and viewing dashboards, charts, reports and filters',
      keywords: ['dashboard', 'report', 'chart', 'widget'],
      subcategories: [
        {
          name: 'Dashboards',
          description: 'Creating, editing and viewing dashboards',
          keywords: ['dashboard', 'layout'],
        },
        {
          name: 'Filters & date ranges',
          description: 'Filters, date ranges and time zones in reports',
          keywords: ['filter', 'date range', 'timezone', 'utc'],
        },
        {
          name: 'Charts & widgets',
          description: 'Chart types, widgets, colors and formatting',
          keywords: ['chart', 'widget', 'color', 'axis'],
        },
        {
          name: 'Report delivery',
          description: 'PDF reports, snapshots and scheduled report delivery',
          keywords: ['pdf', 'scheduled report', 'snapshot'],
        },
      ],
    },
    {
      name: 'Integrations',
      description: 'Connections to third-party tools and data sources',
      keywords: ['integration', 'connector', 'connect'],
      subcategories: [
        {
          name: 'Slack & Teams',
          description: 'Posting messages and alerts to chat tools',
          keywords: ['slack', 'teams', 'channel'],
        },
        {
          name: 'CRM connectors',
          description: 'Salesforce, HubSpot and other CRM connectors',
          keywords: ['salesforce', 'hubspot', 'crm'],
        },
        {
          name: 'Data sources',
          description: 'Database and warehouse connections',
          keywords: ['postgres', 'mysql', 'snowflake', 'bigquery', 'database', 'data source'],
        },
      ],
    },
    {
      name: 'Notifications & Alerts',
      description: 'Alerts, email notifications and digests',
      keywords: ['notification', 'alert', 'digest'],
      subcategories: [
        { name: 'Alerts', description: 'Threshold alerts and alert rules', keywords: ['alert', 'threshold', 'rule'] },
        {
          name: 'Email notifications',
          description: 'Notification and digest emails',
          keywords: ['email', 'digest', 'inbox'],
        },
      ],
    },
    {
      name: 'API & Webhooks',
      description: 'Public REST API, API keys and outgoing webhooks',
      keywords: ['api', 'webhook', 'endpoint'],
      subcategories: [
        {
          name: 'REST API',
          description: 'API endpoints, keys, rate limits and responses',
          keywords: ['api', 'api key', 'rate limit', 'endpoint'],
        },
        {
          name: 'Webhooks',
          description: 'Webhook delivery, retries, payloads and signatures',
          keywords: ['webhook', 'payload', 'retry', 'delivery', 'event'],
        },
      ],
    },
    {
      name: 'Mobile App',
      description: 'The iOS and Android apps',
      keywords: ['mobile', 'app', 'phone'],
      subcategories: [
        { name: 'Android', description: 'The Android app', keywords: ['android', 'google play', 'pixel', 'galaxy'] },
        { name: 'iOS', description: 'The iPhone and iPad app', keywords: ['ios', 'iphone', 'ipad', 'app store'] },
      ],
    },
    {
      name: 'Performance',
      description: 'Speed and reliability: slow pages, loading times, outages',
      keywords: ['slow', 'performance', 'speed', 'latency', 'loading'],
      subcategories: [
        {
          name: 'Page load',
          description: 'Slow loading pages and dashboards',
          keywords: ['load', 'loading', 'spinner', 'slow'],
        },
        {
          name: 'Outages',
          description: 'Downtime and errors affecting everyone',
          keywords: ['outage', 'down', 'unavailable'],
        },
      ],
    },
    {
      name: 'Account & Admin',
      description: 'Workspace settings, users, seats and account ownership',
      keywords: ['account', 'workspace', 'admin', 'settings'],
      subcategories: [
        {
          name: 'Users & seats',
          description: 'Inviting and removing users, seats and licenses',
          keywords: ['user', 'invite', 'seat', 'license'],
        },
        {
          name: 'Workspace settings',
          description: 'Workspace name, ownership, branding and time zone settings',
          keywords: ['workspace', 'owner', 'branding'],
        },
      ],
    },
  ],
};

/** The simulator's product areas → the category a correct answer would pick in EVAL_TAXONOMY. */
export const AREA_TO_CATEGORY: Readonly<Record<string, string>> = {
  billing: 'Billing & Payments',
  sso_login: 'Login & Access',
  data_export: 'Data Export & Import',
  integrations: 'Integrations',
  dashboards: 'Dashboards & Reports',
  notifications: 'Notifications & Alerts',
  mobile_app: 'Mobile App',
  api_webhooks: 'API & Webhooks',
  permissions: 'Permissions & Roles',
  performance: 'Performance',
  account: 'Account & Admin',
};
