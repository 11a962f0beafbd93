// Text search input → a safe tsquery text for to_tsquery('german', …). Every word becomes a stem
// prefix ('fördermittel':*), so "Fördermittel" also finds "Fördermitteln" on PostgreSQL versions
// whose German stemmer leaves the n (15 does, 18 doesn't). Only letters and digits pass: no
// operator of the user's can reach the query parser.
export function prefixQuery(input: string, maxWords = 8): string | null {
	const words = (input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1).slice(0, maxWords);
	if (!words.length) return null;
	return words.map((w) => `${w}:*`).join(' & ');
}

/** Any of the words (for "similar" ranking rather than filtering). */
export function anyWordQuery(input: string, maxWords = 30): string | null {
	const words = (input.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2).slice(0, maxWords);
	if (!words.length) return null;
	return words.join(' | ');
}
