import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message the SMTP receiver accepted: envelope and raw RFC 5322 source. */
export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server (the `smtp-server` package) that accepts every message without authentication or TLS and keeps
 * it, for tests of e-mail delivery over the real protocol (`smtp://127.0.0.1:<port>`).
 */
export class SmtpReceiver {
  readonly messages: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });

  async start(host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, () => resolve()));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://${host}:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
