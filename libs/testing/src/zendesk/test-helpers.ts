/** Small HTTP helpers for tests that talk to the simulator over real HTTP (Node's global fetch). */

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function getJson<T = Record<string, unknown>>(url: string, authorization?: string): Promise<JsonResponse<T>> {
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** A fetch-based getter bound to a base URL and an Authorization header. */
export function jsonClient(baseUrl: string, authorization?: string): <T = Record<string, unknown>>(pathOrUrl: string) => Promise<JsonResponse<T>> {
  return <T = Record<string, unknown>>(pathOrUrl: string) =>
    getJson<T>(pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`, authorization);
}
