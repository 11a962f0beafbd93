// Generated German exchange text for bench/search.js: a seeded generator (same data every run),
// a vocabulary with a few very common words of the network's daily work and a long tail, and
// made-up compounds that occur in about 0.01 % of the posts.
import { randomUUID } from 'node:crypto';

/** Common words of the network's daily work (see `sentence` for how often). */
export const COMMON = ['Förderung', 'Klimaschutz', 'Wärmepumpe'];
/** Made-up compounds, each in ~0.01 % of the posts (1 in 10,000). */
export const RARE = ['Quantenwärmespeicherverbund', 'Moorklimapatenschaft', 'Solarbienenweidenkataster'];

const TAIL = `Kommune Gemeinde Stadt Landkreis Netzwerk Treffen Maßnahme Konzept Antrag Fördermittel Fördermitteln
Bewilligung Zuschuss Kommunalrichtlinie Klimaschutzmanagement Energie Strom Wärme Heizung Gebäude Sanierung Dämmung
Fenster Dach Photovoltaik Solaranlage Speicher Batterie Ladesäule Elektromobilität Radverkehr Radweg Bus Bahn
Carsharing Mobilität Beteiligung Bürger Bürgerinnen Öffentlichkeitsarbeit Kampagne Veranstaltung Schule Kita
Verwaltung Beschaffung Ausschreibung Vergabe Angebot Rathaus Bauhof Straßenbeleuchtung LED Wärmeplanung Fernwärme
Nahwärme Biogas Holz Hackschnitzel Geothermie Erdwärme Windkraft Bürgerenergie Genossenschaft Klimaanpassung
Hitze Starkregen Bäume Begrünung Gründach Entsiegelung Wasser Abwasser Kläranlage Energieberatung Energieagentur
Bilanz Emissionen Tonnen Einsparung Ziel Zielpfad Monitoring Indikator Bericht Haushalt Eigenanteil Frist Termin
Erfahrung Frage Antwort Idee Vorschlag Beispiel Vorlage Leitfaden Checkliste Muster Kosten Euro Prozent Jahr
Monat Woche Partner Hochschule Landesamt Ministerium Denkmalschutz Naturschutz Baurecht Genehmigung Bauantrag`
	.split(/\s+/)
	.filter(Boolean);
const FILL = `und der die das mit für im in auf bei von zu wir haben hat ist sind wurde werden noch schon auch
sehr gut neue ersten letzten unsere eure wie was wann wer gibt kann könnte sollte muss bitte danke gerne`
	.split(/\s+/)
	.filter(Boolean);

/** Mulberry32: small, fast, seeded. */
export function rng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function sentence(rand, words) {
	const out = [];
	for (let i = 0; i < words; i++) {
		const r = rand();
		// 1 %, 0.7 % and 0.5 % of the words are the common ones (each in roughly a third to a fifth
		// of the posts), ~38 % the tail, the rest filler.
		if (r < 0.01) out.push(COMMON[0]);
		else if (r < 0.017) out.push(COMMON[1]);
		else if (r < 0.022) out.push(COMMON[2]);
		else if (r < 0.5) out.push(TAIL[Math.floor(rand() * TAIL.length)]);
		else out.push(FILL[Math.floor(rand() * FILL.length)]);
	}
	const s = out.join(' ');
	return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

/**
 * Threads (ids, titles) and posts (thread, body, created) in batches. Every `postsPerThread`-th
 * post opens a thread; one post in 10,000 carries each rare word once.
 */
export function* batches({ posts, postsPerThread = 10, batchSize = 2000, seed = 42 }) {
	const rand = rng(seed);
	const start = Date.UTC(2022, 0, 1);
	let threads = [];
	let rows = [];
	let threadId = null;
	for (let i = 0; i < posts; i++) {
		if (i % postsPerThread === 0) {
			threadId = randomUUID();
			threads.push({ id: threadId, title: sentence(rand, 4 + Math.floor(rand() * 5)).replace(/\.$/, '?'), at: new Date(start + i * 60_000).toISOString() });
		}
		let body = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => sentence(rand, 8 + Math.floor(rand() * 14))).join(' ');
		RARE.forEach((w, k) => {
			if ((i + k * 3331) % 10_000 === 17) body += ` Stichwort ${w}.`;
		});
		rows.push({ thread_id: threadId, body, opening: i % postsPerThread === 0, created_at: new Date(start + i * 60_000).toISOString() });
		if (rows.length >= batchSize) {
			yield { threads, posts: rows };
			threads = [];
			rows = [];
		}
	}
	if (rows.length) yield { threads, posts: rows };
}
