import { createHmac } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { SlackWebhookReceiver } from './slack-webhook';
import { SmtpReceiver } from './smtp-receiver';
import { WebhookReceiver } from './webhook-receiver';

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
    retryAfter: r.headers.get('retry-after'),
  }));

describe('SlackWebhookReceiver (the incoming-webhook shapes)', () => {
  const slack = new SlackWebhookReceiver();
  let base: string;
  beforeAll(async () => (base = await slack.start()));
  afterAll(() => slack.stop());
  beforeEach(() => slack.reset());

  it('answers ok to text or valid blocks, and Slack’s plain-text errors otherwise', async () => {
    const url = base + slack.path;
    expect(await post(url, JSON.stringify({ text: 'hi' }))).toMatchObject({ status: 200, text: 'ok' });
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Title' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*a*\n1' }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://x' }] },
    ];
    expect((await post(url, JSON.stringify({ blocks }))).status).toBe(200);
    expect(await post(`${base}/services/T/B/wrong`, '{}')).toMatchObject({ status: 404, text: 'no_service' });
    expect(await post(url, 'not json')).toMatchObject({ status: 400, text: 'invalid_payload' });
    expect(await post(url, JSON.stringify({ username: 'x' }))).toMatchObject({ status: 400, text: 'no_text' });
    const tooLong = [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }];
    expect(await post(url, JSON.stringify({ blocks: tooLong }))).toMatchObject({ status: 400, text: 'invalid_blocks' });
    const markdownHeader = [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }];
    expect((await post(url, JSON.stringify({ blocks: markdownHeader }))).text).toBe('invalid_blocks');
    expect(slack.accepted).toHaveLength(2);
    expect(slack.requests).toHaveLength(7);
  });

  it('answers planned faults first: 429 with Retry-After, then 5xx', async () => {
    const url = base + slack.path;
    slack.rateLimit(2).fail({ kind: 'status', status: 500, body: 'rollup_error' });
    expect(await post(url, '{"text":"a"}')).toMatchObject({ status: 429, text: 'rate_limited', retryAfter: '2' });
    expect(await post(url, '{"text":"a"}')).toMatchObject({ status: 500, text: 'rollup_error' });
    expect((await post(url, '{"text":"a"}')).status).toBe(200);
  });
});

describe('WebhookReceiver', () => {
  const secret = 'receiver-secret-0123456789';
  const hook = new WebhookReceiver(secret);
  let url: string;
  beforeAll(async () => (url = (await hook.start()) + '/hook'));
  afterAll(() => hook.stop());

  it('accepts a body signed with the secret and refuses others with 401', async () => {
    const body = JSON.stringify({ kind: 'spike' });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect((await post(url, body, { 'x-pim-signature': signature })).status).toBe(204);
    expect((await post(url, body, { 'x-pim-signature': 'sha256=00' })).status).toBe(401);
    expect((await post(url, body)).status).toBe(401);
    expect(hook.accepted).toHaveLength(1);
    expect(hook.accepted.every((r) => WebhookReceiver.verify(r, secret))).toBe(true);
  });

  it('leaves a request unanswered when told to hang (the client times out)', async () => {
    hook.fail({ kind: 'hang' });
    await expect(fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});

describe('SmtpReceiver', () => {
  const smtp = new SmtpReceiver();
  let url: string;
  beforeAll(async () => (url = await smtp.start()));
  afterAll(() => smtp.stop());

  it('receives a message over real SMTP with its envelope and both parts', async () => {
    const transport = createTransport(url);
    await transport.sendMail({
      from: 'a@x.test',
      to: ['b@x.test', 'c@x.test'],
      subject: 'S',
      text: 'T',
      html: '<p>H</p>',
    });
    transport.close();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toMatchObject({ from: 'a@x.test', to: ['b@x.test', 'c@x.test'] });
    expect(smtp.messages[0]?.raw).toMatch(/text\/plain[\s\S]*text\/html/);
  });
});
