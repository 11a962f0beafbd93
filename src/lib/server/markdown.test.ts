import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from './markdown';

describe('renderMarkdown', () => {
	it('renders emphasis, lists and links', () => {
		const html = renderMarkdown('**PV** auf *Dächern*\n\n- eins\n- zwei\n\n[Plan](https://example.org)');
		expect(html).toContain('<strong>PV</strong>');
		expect(html).toContain('<li>eins</li>');
		expect(html).toContain('<a href="https://example.org" rel="nofollow noopener noreferrer">Plan</a>');
	});

	it.each([
		['<script>alert(1)</script>', /<script/],
		['<img src=x onerror=alert(1)>', /<img/],
		['[x](javascript:alert(1))', /href="javascript/],
		['<a href="https://x" onclick="alert(1)">x</a>', /<a[^>]*onclick/],
		['# Titel', /<h1/]
	])('neutralises %s', (input, forbidden) => {
		// Escaped text may still show the characters; what matters is that no tag or attribute results.
		expect(renderMarkdown(input)).not.toMatch(forbidden);
	});

	it('gives an empty string for blank input', () => {
		expect(renderMarkdown('  \n')).toBe('');
	});
});

describe('markdownToText', () => {
	it.each([
		['**fett** und _kursiv_', 'fett und kursiv'],
		['<b>fett</b>', '<b>fett</b>'],
		['[Förderaufruf](https://example.org/a) lesen', 'Förderaufruf lesen'],
		['[x](javascript:alert(1))', '[x](javascript:alert(1))'],
		['# Titel\n\n- eins\n- zwei', 'Titel eins zwei'],
		['Tom & Jerry "zitiert"', 'Tom & Jerry "zitiert"'],
		['   ', '']
	])('%j → %j', (input, expected) => {
		expect(markdownToText(input)).toBe(expected);
	});

	it('cuts long text with an ellipsis', () => {
		const out = markdownToText('Wort '.repeat(200), 50);
		expect(out.length).toBe(50);
		expect(out.endsWith('…')).toBe(true);
	});
});
