// Highlighted snippets, safe to render with {@html}. ts_headline marks the hits with two control
// characters that no text of ours contains (the service strips them from the text first, so a
// user cannot forge a mark); here the fragment is escaped as HTML and only then are the markers
// turned into <mark>. Nothing else of the user's text ever becomes markup.
import { escapeHtml } from '../mail/templates';

export const MARK_START = '\u0001';
export const MARK_STOP = '\u0002';

/** Options for ts_headline: short fragments around the hits, our markers as StartSel/StopSel. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * Rough Markdown removal, so a snippet reads as text: link targets, images, emphasis, headings,
 * quotes, list bullets, code fences. Applied to a fragment, so half a construct may remain; it
 * is only ever text.
 */
export function stripMarkdown(s: string): string {
	return s
		.replace(/!\[([^\]]*)\]\([^)]*\)?/g, '$1')
		.replace(/\[([^\]]*)\]\([^)]*\)?/g, '$1')
		.replace(/```+|`/g, '')
		.replace(/(^|\s)(#{1,6}|>+|[-*+]|\d+\.)\s+/g, '$1')
		.replace(/(\*\*|__|\*|~~)/g, '')
		.replace(/(^|\s)_+|_+(?=\s|$)/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
}

/** ts_headline's output (with our markers) → HTML with <mark> around the hits and nothing else. */
export function snippetHtml(headline: string | null | undefined): string {
	if (!headline) return '';
	const text = stripMarkdown(headline);
	let html = '';
	let open = false;
	for (const part of text.split(/([\u0001\u0002])/)) {
		if (part === MARK_START) {
			if (!open) html += '<mark>';
			open = true;
		} else if (part === MARK_STOP) {
			if (open) html += '</mark>';
			open = false;
		} else {
			html += escapeHtml(part);
		}
	}
	return open ? html + '</mark>' : html;
}
