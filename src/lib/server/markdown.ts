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
