import { formatNumber } from '$lib/i18n';

/** A file's size as people read it: "820 KB", "1,5 MB" (never "0 KB"). */
export function fileSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${formatNumber(bytes / 1024 / 1024, 1)} MB` : `${formatNumber(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
}
