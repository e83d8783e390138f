import { ServerResponse } from 'node:http';
import { HttpReceiver, ReceivedRequest } from './http-receiver';

/**
 * A Slack incoming-webhook receiver speaking the documented shapes (https://api.slack.com/messaging/webhooks):
 * `POST /services/T…/B…/<secret>` with a JSON body holding `text` and/or `blocks`; answers `200 ok`, or the errors
 * Slack answers in plain text: 404 `no_service` (unknown webhook), 400 `invalid_payload` (not JSON), 400 `no_text`
 * (neither text nor blocks), 400 `invalid_blocks` (a block Block Kit refuses). Faults (5xx, 429 `rate_limited`
 * with Retry-After, hanging) through `fail`.
 */
export class SlackWebhookReceiver extends HttpReceiver {
  /** The webhook path Slack would give (its last part is the secret). */
  readonly path = '/services/T0PIMTEST/B0ALERTS/' + 'x'.repeat(8) + Math.random().toString(36).slice(2, 10);

  /** A 429 as Slack sends it when a webhook posts more than about one message a second. */
  rateLimit(retryAfterSeconds: number, times = 1): this {
    return this.fail(
      { kind: 'status', status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: 'rate_limited' },
      times,
    );
  }

  protected answer(request: ReceivedRequest, res: ServerResponse): void {
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (request.method !== 'POST' || request.path !== this.path) return reply(404, 'no_service');
    const body = request.json as { text?: unknown; blocks?: unknown } | undefined;
    if (!body || typeof body !== 'object') return reply(400, 'invalid_payload');
    if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return reply(400, 'no_text');
    if (body.blocks !== undefined && !validBlocks(body.blocks)) return reply(400, 'invalid_blocks');
    this.accepted.push(request);
    reply(200, 'ok');
  }
}

const TEXT_TYPES = new Set(['plain_text', 'mrkdwn']);

function textObject(value: unknown, max: number, plainOnly = false): boolean {
  if (!value || typeof value !== 'object') return false;
  const { type, text } = value as { type?: unknown; text?: unknown };
  if (typeof text !== 'string' || text.length < 1 || text.length > max) return false;
  return plainOnly ? type === 'plain_text' : TEXT_TYPES.has(type as string);
}

/** The Block Kit limits a webhook message is checked against (https://api.slack.com/reference/block-kit/blocks). */
export function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > 50) return false;
  return blocks.every((block: Record<string, unknown>) => {
    if (!block || typeof block !== 'object') return false;
    switch (block['type']) {
      case 'header':
        return textObject(block['text'], 150, true);
      case 'section': {
        const fields = block['fields'];
        if (block['text'] === undefined && fields === undefined) return false;
        if (block['text'] !== undefined && !textObject(block['text'], 3000)) return false;
        return (
          fields === undefined ||
          (Array.isArray(fields) && fields.length <= 10 && fields.every((f) => textObject(f, 2000)))
        );
      }
      case 'context': {
        const elements = block['elements'];
        return (
          Array.isArray(elements) &&
          elements.length >= 1 &&
          elements.length <= 10 &&
          elements.every((e) => textObject(e, 3000))
        );
      }
      case 'actions': {
        const elements = block['elements'];
        return (
          Array.isArray(elements) &&
          elements.length >= 1 &&
          elements.length <= 25 &&
          elements.every(
            (e: Record<string, unknown>) =>
              e?.['type'] === 'button' &&
              textObject(e['text'], 75, true) &&
              (e['url'] === undefined || (typeof e['url'] === 'string' && e['url'].length <= 3000)),
          )
        );
      }
      case 'divider':
        return true;
      default:
        return false;
    }
  });
}
