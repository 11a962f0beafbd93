// User text as safe HTML: Markdown without raw HTML (markdown-it, html: false), then an allow-list
// sanitizer as a second wall. Links get rel="nofollow noopener" and only http(s)/mailto survive.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const ALLOWED = {
	allowedTags: ['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'h3', 'h4', 'hr', 'del'],
	allowedAttributes: { a: ['href', 'rel'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	transformTags: {
		a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }),
		// Headings inside user text sit below the page's own h2 sections.
		h1: 'h3',
		h2: 'h3',
		h5: 'h4',
		h6: 'h4'
	}
} satisfies sanitizeHtml.IOptions;

/** Renders Markdown to sanitized HTML. Empty input gives ''. */
export function renderMarkdown(text: string): string {
	if (!text.trim()) return '';
	return sanitizeHtml(md.render(text), ALLOWED);
}

/**
 * User Markdown as one line of plain text (for excerpts in notifications, mails and lists): what a
 * reader sees, without markup – `**fett**` → "fett", a link → its text, and text the user typed
 * that looks like HTML stays as typed ("<b>" is shown, never interpreted). Cut to `max` characters.
 */
export function markdownToText(text: string, max = 300): string {
	if (!text.trim()) return '';
	const plain = sanitizeHtml(md.render(text), { allowedTags: [], allowedAttributes: {} })
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}
