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

/** The confirmation of a new citizen or group account: the link confirms the address and signs in. */
export function signupMail(to: string, url: string): Mail {
	return layout(to, 'Bitte bestätigen Sie Ihre E-Mail-Adresse', {
		greeting: 'Guten Tag,',
		paragraphs: [
			'Sie haben ein Konto im Beteiligungsportal angelegt. Bitte bestätigen Sie Ihre E-Mail-Adresse über den Link unten. Danach sind Sie angemeldet.',
			'Der Link ist 15 Minuten gültig und funktioniert nur einmal. Ist er abgelaufen, fordern Sie auf der Seite „Anmelden“ einfach einen neuen Anmeldelink an.',
			'Sie haben kein Konto angelegt? Dann können Sie diese Nachricht ignorieren. Unbestätigte Konten löschen wir nach 7 Tagen.'
		],
		action: { label: 'E-Mail-Adresse bestätigen', url }
	});
}

/** Feedback on a barrier in the portal, for the network's coordinators. */
export function feedbackMail(to: string, f: { networkName: string; pageUrl: string; message: string; name: string; email: string; listUrl: string }): Mail {
	return layout(to, `Rückmeldung zur Barrierefreiheit: ${f.networkName}`, {
		greeting: 'Guten Tag,',
		paragraphs: [
			'Jemand hat eine Barriere im Beteiligungsportal gemeldet.',
			`Seite: ${f.pageUrl || '(nicht angegeben)'}`,
			`Nachricht: ${f.message}`,
			f.email ? `Antwort erbeten an: ${f.name ? `${f.name}, ` : ''}${f.email}` : 'Die Person hat keine Kontaktdaten angegeben.',
			'Die Erklärung zur Barrierefreiheit verspricht eine Antwort in der Regel innerhalb von zwei Wochen. Bitte markieren Sie die Rückmeldung als erledigt, wenn sie bearbeitet ist.'
		],
		action: { label: 'Alle Rückmeldungen ansehen', url: f.listUrl }
	});
}
