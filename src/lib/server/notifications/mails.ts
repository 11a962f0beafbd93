// German notification mails: one notification on its own ('immediate') and the digest. Both carry
// a link to the settings ("Warum bekomme ich diese E-Mail?"), one-click unsubscribe links, and the
// List-Unsubscribe headers of RFC 8058 so mail clients offer their own unsubscribe button.
import { layout, escapeHtml } from '../mail/templates';
import type { Mail } from '../mail';
import { config } from '../config';
import { translate } from '$lib/i18n';
import { notificationKind } from './kinds';
import { settingsUrl, unsubscribeUrl } from './tokens';

/** A notification mail always carries its List-Unsubscribe headers. */
export type HeaderMail = Mail & { headers: Record<string, string> };

const absolute = (path: string) => new URL(path, config.origin).toString();

/** The kind's German name, e.g. "Neue Antworten in Beiträgen, denen Sie folgen". */
export function kindLabel(kind: string): string {
	const def = notificationKind(kind);
	return def ? translate('de', def.labelKey) : kind;
}

function unsubscribeHeaders(url: string): Record<string, string> {
	return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

const WHY = 'Warum bekomme ich diese E-Mail? Sie sind im Netzwerk angemeldet und haben für diese Art von Benachrichtigung E-Mails gewählt (oder die Voreinstellung nicht geändert).';

export interface MailNotification {
	userId: string;
	kind: string;
	title: string;
	excerpt: string;
	url: string;
	networkName: string;
}

/** One notification, mailed at once. Subject = its title. */
export function immediateMail(to: string, n: MailNotification): HeaderMail {
	const unsubscribe = unsubscribeUrl({ userId: n.userId, kind: n.kind, channelScope: 'immediate' });
	const mail = layout(to, n.title, {
		greeting: 'Guten Tag,',
		paragraphs: [`${n.networkName}: ${n.title}`, ...(n.excerpt ? [n.excerpt] : [])],
		action: { label: 'Jetzt ansehen', url: absolute(n.url) },
		footer: WHY,
		footerLinks: [
			{ label: 'Benachrichtigungen einstellen', url: settingsUrl() },
			{ label: `E-Mails zu „${kindLabel(n.kind)}“ abbestellen`, url: unsubscribe }
		]
	});
	return { ...mail, headers: unsubscribeHeaders(unsubscribe) };
}

export interface DigestItem {
	kind: string;
	title: string;
	excerpt: string;
	url: string;
	networkId: string;
	networkName: string;
}

/**
 * The digest: sections per network (name as heading), inside them per kind (its label), each item
 * with title, excerpt and link. `more` counts items left out to keep the mail readable.
 */
export function digestMail(to: string, userId: string, frequency: 'daily' | 'weekly', items: DigestItem[], more = 0): HeaderMail {
	const word = frequency === 'daily' ? 'tägliche' : 'wöchentliche';
	const subject = `Ihre ${word} Zusammenfassung: ${items.length + more} ${items.length + more === 1 ? 'Neuigkeit' : 'Neuigkeiten'} aus Klimanetz`;
	const byNetwork = new Map<string, { name: string; kinds: Map<string, DigestItem[]> }>();
	for (const it of items) {
		const net = byNetwork.get(it.networkId) ?? { name: it.networkName, kinds: new Map() };
		byNetwork.set(it.networkId, net);
		net.kinds.set(it.kind, [...(net.kinds.get(it.kind) ?? []), it]);
	}
	const text: string[] = [];
	const html: string[] = [];
	for (const net of byNetwork.values()) {
		text.push(net.name, '='.repeat(Math.min(60, net.name.length)), '');
		html.push(`<h2 style="font-size: 20px;">${escapeHtml(net.name)}</h2>`);
		for (const [kind, list] of net.kinds) {
			text.push(`${kindLabel(kind)}:`);
			html.push(`<h3 style="font-size: 17px;">${escapeHtml(kindLabel(kind))}</h3><ul>`);
			for (const it of list) {
				const url = absolute(it.url);
				text.push(`* ${it.title}`, ...(it.excerpt ? [`  ${it.excerpt}`] : []), `  ${url}`);
				html.push(
					`<li><a href="${escapeHtml(url)}" style="color: #153d99; font-weight: bold;">${escapeHtml(it.title)}</a>${it.excerpt ? `<br>${escapeHtml(it.excerpt)}` : ''}</li>`
				);
			}
			text.push('');
			html.push('</ul>');
		}
	}
	if (more) {
		const line = `… und ${more} weitere. Alle Benachrichtigungen: ${absolute('/konto/benachrichtigungen')}`;
		text.push(line);
		html.push(`<p>… und ${more} weitere. <a href="${escapeHtml(absolute('/konto/benachrichtigungen'))}" style="color: #153d99;">Alle Benachrichtigungen ansehen</a></p>`);
	}
	const kinds = [...new Set(items.map((i) => i.kind))];
	const wholeDigest = unsubscribeUrl({ userId, kind: '*', channelScope: frequency });
	const mail = layout(to, subject, {
		greeting: 'Guten Tag,',
		paragraphs: [`hier ist Ihre ${word} Zusammenfassung der Benachrichtigungen.`],
		body: { text: text.join('\n'), html: html.join('\n') },
		footer: WHY,
		footerLinks: [
			{ label: 'Benachrichtigungen einstellen', url: settingsUrl() },
			...kinds.map((k) => ({ label: `E-Mails zu „${kindLabel(k)}“ abbestellen`, url: unsubscribeUrl({ userId, kind: k, channelScope: frequency }) })),
			{ label: `Die ${word} Zusammenfassung abbestellen`, url: wholeDigest },
			{ label: 'Alle Benachrichtigungs-E-Mails abbestellen', url: unsubscribeUrl({ userId, kind: '*', channelScope: 'all' }) }
		]
	});
	return { ...mail, headers: unsubscribeHeaders(wholeDigest) };
}
