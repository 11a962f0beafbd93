// A four-digit year from a URL (?importiert=2022, /bilanz/2022); null for anything else.
export function yearParam(v: string | null | undefined): number | null {
	return v && /^\d{4}$/.test(v) ? Number(v) : null;
}
