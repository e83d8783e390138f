/**
 * Token estimates and prompt-cache accounting, modelled on the documented behaviour:
 * - the prompt is the sequence tools → system → messages, cut into blocks; a block may carry
 *   `cache_control: {type: "ephemeral", ttl?: "5m" | "1h"}` (at most 4 breakpoints);
 * - a cache entry is keyed by a hash of the model and the exact content of the prefix up to a breakpoint
 *   (message blocks also by `tool_choice`: changing it invalidates cached messages, not tools and system);
 * - a request reads the longest prefix that is cached and unexpired (looking back up to 20 blocks before each
 *   breakpoint), refreshing its TTL, and writes the rest up to its last breakpoint;
 * - a prefix shorter than the model's minimum cacheable length is silently not cached.
 */
import { createHash, Hash } from 'node:crypto';
import { isPlainObject } from './json-schema';

export type TokenCounter = (text: string) => number;

/** The stub's tokenizer: ceil(characters / 4). */
export const estimateTokens: TokenCounter = (text: string) => Math.ceil(text.length / 4);

export type CacheTtl = '5m' | '1h';

export const CACHE_TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export interface PromptUnit {
  section: 'tools' | 'system' | 'messages';
  /** JSON path of the block in the request, e.g. `system.0`, `messages.2.content.1`. */
  path: string;
  tokens: number;
  /** Exact content of the block (without its cache_control), the material of the cache key. */
  material: string;
  cacheTtl: CacheTtl | undefined;
}

export interface CacheAccounting {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  ephemeral_5m_input_tokens: number;
  ephemeral_1h_input_tokens: number;
}

function withoutCacheControl(block: unknown): unknown {
  if (!isPlainObject(block) || !('cache_control' in block)) return block;
  const { cache_control: _cc, ...rest } = block;
  void _cc;
  return rest;
}

function ttlOf(block: unknown): CacheTtl | undefined {
  if (!isPlainObject(block)) return undefined;
  const cc = block['cache_control'];
  if (!isPlainObject(cc)) return undefined;
  return cc['ttl'] === '1h' ? '1h' : '5m';
}

function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((b) => blockText(b)).join('\n');
  return content === undefined ? '' : JSON.stringify(content);
}

/** The text whose length stands for a block's tokens. */
function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (!isPlainObject(block)) return JSON.stringify(block ?? '');
  switch (block['type']) {
    case 'text':
      return typeof block['text'] === 'string' ? block['text'] : '';
    case 'tool_use':
    case 'server_tool_use':
      return `${String(block['name'] ?? '')} ${JSON.stringify(block['input'] ?? {})}`;
    case 'tool_result':
      return textOfContent(block['content']);
    case 'thinking':
      return typeof block['thinking'] === 'string' ? block['thinking'] : '';
    case 'image':
      return 'x'.repeat(1600 * 4);
    case 'document': {
      const src = block['source'];
      if (isPlainObject(src) && src['type'] === 'text' && typeof src['data'] === 'string') return src['data'];
      if (isPlainObject(src) && src['type'] === 'content') return textOfContent(src['content']);
      return 'x'.repeat(1600 * 4);
    }
    default:
      return JSON.stringify(withoutCacheControl(block));
  }
}

/** Cuts a Messages request into cacheable blocks, in prefix order. */
export function promptUnits(body: Record<string, unknown>, count: TokenCounter): PromptUnit[] {
  const units: PromptUnit[] = [];
  const tools = Array.isArray(body['tools']) ? body['tools'] : [];
  tools.forEach((tool, i) => {
    const material = JSON.stringify(withoutCacheControl(tool));
    units.push({ section: 'tools', path: `tools.${i}`, tokens: count(material), material, cacheTtl: ttlOf(tool) });
  });
  const system = body['system'];
  if (typeof system === 'string') {
    if (system !== '')
      units.push({
        section: 'system',
        path: 'system',
        tokens: count(system),
        material: JSON.stringify(system),
        cacheTtl: undefined,
      });
  } else if (Array.isArray(system)) {
    system.forEach((block, i) => {
      units.push({
        section: 'system',
        path: `system.${i}`,
        tokens: count(blockText(block)),
        material: JSON.stringify(withoutCacheControl(block)),
        cacheTtl: ttlOf(block),
      });
    });
  }
  const messages = Array.isArray(body['messages']) ? body['messages'] : [];
  messages.forEach((m, i) => {
    if (!isPlainObject(m)) return;
    const role = String(m['role'] ?? '');
    const content = m['content'];
    if (typeof content === 'string') {
      units.push({
        section: 'messages',
        path: `messages.${i}.content`,
        tokens: count(content),
        material: JSON.stringify({ role, content }),
        cacheTtl: undefined,
      });
    } else if (Array.isArray(content)) {
      content.forEach((block, j) => {
        units.push({
          section: 'messages',
          path: `messages.${i}.content.${j}`,
          tokens: count(blockText(block)),
          material: JSON.stringify({ role, message: i, block: withoutCacheControl(block) }),
          cacheTtl: ttlOf(block),
        });
      });
    }
  });
  return units;
}

interface CacheEntry {
  expiresAt: number;
  ttlMs: number;
  tokens: number;
}

/** The stub's prompt cache (one per stub: a single organization). */
export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Live entries at `now` (for tests and diagnostics). */
  liveEntries(now: number): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.expiresAt > now) n++;
    return n;
  }

  /**
   * Accounts one request: which part of the prompt is read from the cache, which part is written, and which is
   * plain input. Mutates the cache (writes entries, refreshes the TTL of the entry read).
   */
  account(
    units: PromptUnit[],
    model: string,
    toolChoice: unknown,
    now: number,
    minCacheableTokens: number,
  ): CacheAccounting {
    const total = units.reduce((s, u) => s + u.tokens, 0);
    const result: CacheAccounting = {
      input_tokens: total,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    };
    const breakpoints = units.map((u, i) => (u.cacheTtl ? i : -1)).filter((i) => i >= 0);
    if (breakpoints.length === 0) return result;

    // Prefix keys and cumulative tokens at every block boundary.
    const keys: string[] = [];
    const cumulative: number[] = [];
    const hash: Hash = createHash('sha256').update(`model:${model}\n`);
    const choice = JSON.stringify(toolChoice ?? null);
    let sum = 0;
    units.forEach((u) => {
      hash.update(u.material).update('\n');
      sum += u.tokens;
      cumulative.push(sum);
      const h = hash.copy();
      if (u.section === 'messages') h.update(`tool_choice:${choice}`);
      keys.push(h.digest('hex'));
    });

    // Longest cached prefix: check each breakpoint (last first) and up to 20 blocks before it.
    let readIdx = -1;
    for (let b = breakpoints.length - 1; b >= 0 && readIdx < 0; b--) {
      const bp = breakpoints[b] as number;
      for (let i = bp; i >= Math.max(0, bp - 20); i--) {
        const entry = this.entries.get(keys[i] as string);
        if (entry && entry.expiresAt > now) {
          readIdx = i;
          entry.expiresAt = now + entry.ttlMs;
          break;
        }
      }
    }
    const readTokens = readIdx >= 0 ? (cumulative[readIdx] as number) : 0;

    // Write every breakpoint after the read point whose prefix is long enough to be cached.
    let written = readTokens;
    for (const bp of breakpoints) {
      if (bp <= readIdx) continue;
      const prefixTokens = cumulative[bp] as number;
      if (prefixTokens < minCacheableTokens) continue;
      const ttl = units[bp]?.cacheTtl ?? '5m';
      const segment = prefixTokens - written;
      if (ttl === '1h') result.ephemeral_1h_input_tokens += segment;
      else result.ephemeral_5m_input_tokens += segment;
      written = prefixTokens;
      this.entries.set(keys[bp] as string, {
        expiresAt: now + CACHE_TTL_MS[ttl],
        ttlMs: CACHE_TTL_MS[ttl],
        tokens: prefixTokens,
      });
    }
    result.cache_read_input_tokens = readTokens;
    result.cache_creation_input_tokens = written - readTokens;
    result.input_tokens = total - written;
    return result;
  }
}
