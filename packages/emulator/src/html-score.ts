/**
 * A score per email client family for one HTML check. caniemail reports only what a client lacks,
 * so the score is over the features of the message that at least one checked client lacks (fully
 * or in part): for each client of the family and each such feature, supported counts 1, partly
 * supported ½, not supported 0; the score is the mean, in percent. A message whose features every
 * checked client supports scores 100 everywhere.
 */
import type { HtmlCheckResult } from './html-check';

export interface FamilyScore {
  /** caniemail's family key, e.g. `outlook`. */
  family: string;
  /** Its readable name, e.g. `Outlook`. */
  name: string;
  /** 0–100. */
  score: number;
  /** The family's checked clients (caniemail keys). */
  clients: string[];
  /** Features at least one of the family's clients does not support. */
  unsupported: string[];
  /** Features at least one of the family's clients supports in part (and none lacks). */
  partial: string[];
}

export async function familyScores(check: HtmlCheckResult): Promise<FamilyScore[]> {
  // caniemail is loaded on the first check only (see html-check.ts)
  const { rawData } = await import('caniemail');
  const names = (rawData.nicenames as { family: Record<string, string> }).family;
  const support = new Map<string, Map<string, number>>(); // feature → client → 0 | 0.5
  for (const [list, value] of [
    [check.partial, 0.5],
    [check.unsupported, 0],
  ] as const) {
    for (const issue of list) {
      const byClient = support.get(issue.feature) ?? new Map<string, number>();
      for (const client of issue.clients) byClient.set(client, Math.min(byClient.get(client) ?? 1, value));
      support.set(issue.feature, byClient);
    }
  }
  const families = new Map<string, string[]>();
  for (const client of check.clients) {
    const family = client.split('.')[0]!;
    families.set(family, [...(families.get(family) ?? []), client]);
  }
  return [...families].map(([family, clients]) => {
    let total = 0;
    const unsupported = new Set<string>();
    const partial = new Set<string>();
    for (const [feature, byClient] of support) {
      for (const client of clients) {
        const value = byClient.get(client) ?? 1;
        total += value;
        if (value === 0) unsupported.add(feature);
        else if (value === 0.5) partial.add(feature);
      }
    }
    for (const feature of unsupported) partial.delete(feature);
    const pairs = support.size * clients.length;
    return {
      family,
      name: names[family] ?? family,
      score: pairs === 0 ? 100 : Math.round((100 * total) / pairs),
      clients,
      unsupported: [...unsupported].sort(),
      partial: [...partial].sort(),
    };
  });
}
