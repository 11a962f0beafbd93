// German mails of the participation portal. Values from users are escaped by layout().
import { layout } from '../mail/templates';
import type { Mail } from '../mail';

export function followMail(to: string, c: { title: string; what: string; url: string }): Mail {
	return layout(to, `Neuigkeiten: ${c.title}`, {
		greeting: 'Guten Tag,',
		paragraphs: [`Sie folgen „${c.title}“ im Beteiligungsportal.`, c.what],
		action: { label: 'Jetzt ansehen', url: c.url },
		footer: 'Sie bekommen diese Nachricht, weil Sie diesem Beitrag folgen. Auf der Seite können Sie mit „Nicht mehr folgen“ abbestellen.'
	});
}
