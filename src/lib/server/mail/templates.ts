// German mail texts (plain text plus HTML). Every value that comes from users is escaped for HTML.
import type { Mail } from './index';

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Link {
	label: string;
	url: string;
}

interface Block {
	greeting: string;
	paragraphs: string[];
	/** Structured content after the paragraphs (e.g. a digest's sections); html must be escaped by the caller. */
	body?: { text: string; html: string };
	action?: Link;
	footer?: string;
	/** Links under the footer (e.g. notification settings and unsubscribe), as text "label: url". */
	footerLinks?: Link[];
}

/** Lays out a mail from paragraphs and one action link, as text and as simple, accessible HTML. */
export function layout(to: string, subject: string, b: Block): Mail {
	const footer = b.footer ?? 'Diese Nachricht wurde von Klimanetz verschickt.';
	const text = [
		b.greeting,
		'',
		...b.paragraphs.flatMap((p) => [p, '']),
		...(b.body ? [b.body.text, ''] : []),
		...(b.action ? [`${b.action.label}:`, b.action.url, ''] : []),
		'-- ',
		footer,
		...(b.footerLinks ?? []).map((l) => `${l.label}: ${l.url}`)
	].join('\n');
	const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: 'Fira Sans', Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #171a2b;">
<p>${escapeHtml(b.greeting)}</p>
${b.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${b.body?.html ?? ''}
${b.action ? `<p><a href="${escapeHtml(b.action.url)}" style="color: #153d99; font-weight: bold;">${escapeHtml(b.action.label)}</a></p><p style="font-size: 14px;">Falls der Link nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:<br>${escapeHtml(b.action.url)}</p>` : ''}
<hr><p style="font-size: 14px; color: #4f5469;">${escapeHtml(footer)}</p>
${(b.footerLinks ?? []).map((l) => `<p style="font-size: 14px;"><a href="${escapeHtml(l.url)}" style="color: #153d99;">${escapeHtml(l.label)}</a></p>`).join('\n')}
</body></html>`;
	return { to, subject, text, html };
}

export function magicLinkMail(to: string, url: string): Mail {
	return layout(to, 'Ihr Anmeldelink für Klimanetz', {
		greeting: 'Guten Tag,',
		paragraphs: [
			'Sie haben einen Anmeldelink für Klimanetz angefordert. Der Link ist 15 Minuten gültig und kann nur einmal verwendet werden.',
			'Wenn Sie keinen Link angefordert haben, können Sie diese Nachricht ignorieren.'
		],
		action: { label: 'Jetzt anmelden', url }
	});
}

export function resetPasswordMail(to: string, url: string): Mail {
	return layout(to, 'Passwort für Klimanetz zurücksetzen', {
		greeting: 'Guten Tag,',
		paragraphs: [
			'Sie möchten Ihr Passwort für Klimanetz neu setzen. Der Link ist eine Stunde gültig und kann nur einmal verwendet werden.',
			'Wenn Sie das nicht angefordert haben, bleibt Ihr bisheriges Passwort gültig.'
		],
		action: { label: 'Neues Passwort festlegen', url }
	});
}

export function invitationMail(
	to: string,
	p: { networkName: string; roleLabel: string; inviterName: string; url: string; expiresOn: string }
): Mail {
	return layout(to, `Einladung in das ${p.networkName} auf Klimanetz`, {
		greeting: 'Guten Tag,',
		paragraphs: [
			`${p.inviterName} lädt Sie in das ${p.networkName} auf Klimanetz ein, als ${p.roleLabel}.`,
			`Mit dem folgenden Link legen Sie Ihr Konto an oder verbinden ein bestehendes Konto. Der Link ist bis ${p.expiresOn} gültig und kann nur einmal verwendet werden.`
		],
		action: { label: 'Einladung annehmen', url: p.url }
	});
}
