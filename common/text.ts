/** Small text helpers: edit distance and "did you mean", how values are shown in messages, error text. */

/** Edit distance between two strings (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
    for (let i = 0; i < rows; i++) d[i][0] = i;
    for (let j = 0; j < cols; j++) d[0][j] = j;
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[rows - 1][cols - 1];
}

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo
 * (at most a third of the word's length, and at least 1 edit, away), compared case-insensitively.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    const lower = word.toLowerCase();
    for (const candidate of candidates) {
        const distance = editDistance(lower, candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    const limit = Math.max(2, Math.ceil(word.length / 3));
    return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** `value` shown in a message, as JSON (strings quoted). */
export function show(value: unknown): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}

/** Key names that hold credentials or other secrets. */
export const SECRET_NAME_PATTERN = /(pass(word)?|secret|token|credential|private[._-]?key|access[._-]?key|session[._-]?key)/i;

/**
 * Keys that match SECRET_NAME_PATTERN but hold a class name, say where credentials come from (`USER_INFO`), or
 * name files (`sharedCredentialsFiles`, `webIdentityTokenFile`: paths, not the secrets in them).
 */
export const NOT_A_SECRET_NAME = /(\.class|\.credentials\.source|^sharedCredentialsFiles|^webIdentityTokenFile)$/;

/** The first line of an error's message, or a plain note when the error carries none. */
export function errorText(e: unknown): string {
    const text = e instanceof Error ? e.message : typeof e === "string" ? e : "";
    const first = text.split("\n").find((l) => l.trim() !== "");
    return first?.trim() ?? "the provider gave no detail";
}
