// Data for bench/measures.js: one network with N municipalities, each with one climate concept,
// six fields of action and M measures, built entirely in SQL (INSERT … SELECT over generate_series)
// so PGlite and PostgreSQL fill the same rows in seconds. Everything is deterministic: ids are
// md5-derived, "random" choices come from hashint4 of the row number, so both engines hold the
// same data and the filter hit counts are the same on every run.
import { createHash } from 'node:crypto';

export const SLUG = 'bench';
export const COORDINATOR = { id: 'bench-coordinator', email: 'koordination@bench.example', name: 'Koordination Benchmark' };

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const arr = (list) => `ARRAY[${list.map(q).join(',')}]`;
/** Deterministic pseudo-random integer in [0, mod) from an integer expression and a salt. */
const h = (expr, salt, mod) => `(((hashint4(((${expr}) * 37 + ${salt})::int)::bigint + 2147483648) % ${mod})::int)`;
/** One element of a list, chosen by h(expr, salt). */
const pick = (list, expr, salt) => `(${arr(list)})[1 + ${h(expr, salt, list.length)}]`;
/** md5-derived uuid, so later statements can name rows without joins. */
const id = (prefix, expr) => `md5(${q(prefix)} || (${expr})::text)::uuid`;
/** The same id computed in JavaScript (for the measure pages the benchmark requests). */
export function jsId(prefix, n) {
	const x = createHash('md5').update(`${prefix}${n}`).digest('hex');
	return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
export const measureId = (g) => jsId('m', g);

const NETWORK = `md5('network-${SLUG}')::uuid`;

// Fields of action: position → theme, two naming variants (towns name them differently), colour.
const FIELDS = [
	['energy', 'Energieversorgung und erneuerbare Energien', 'Erneuerbare Energien', '#c27c0e'],
	['buildings', 'Gebäude und Sanierung', 'Klimagerechtes Bauen und Wohnen', '#8a4a6f'],
	['mobility', 'Mobilität und Verkehr', 'Klimafreundliche Mobilität', '#2f6f9f'],
	['municipal', 'Kommunale Verwaltung als Vorbild', 'Verwaltung und Liegenschaften', '#4a6f8a'],
	['adaptation', 'Klimaanpassung', 'Hitze- und Starkregenvorsorge', '#2e7d4f'],
	['participation', 'Beteiligung und Öffentlichkeitsarbeit', 'Bildung und Beteiligung', '#7a5c2e']
];
// Measure number within its body (0..M-1) → field position; energy gets a quarter of all measures.
const POS_BY_N8 = [0, 0, 1, 2, 3, 4, 5, 1];

const OBJECTS = [
	// energy
	['Photovoltaikanlagen auf kommunalen Dächern', 'Freiflächen-Photovoltaik an der Autobahn', 'Bürgerwindpark', 'Nahwärmenetz im Ortskern', 'Solarthermie für das Freibad', 'Wärmepumpen in kommunalen Gebäuden', 'Bürgerenergiegenossenschaft', 'Batteriespeicher am Bauhof', 'Biogasanlage mit Wärmeauskopplung', 'Balkonkraftwerke für Mieterhaushalte', 'Agri-Photovoltaik auf Obstplantagen', 'kommunale Wärmeplanung'],
	// buildings
	['energetische Sanierung des Rathauses', 'Dämmung der Grundschule', 'Heizungstausch in den Kindertagesstätten', 'Sanierungsfahrplan für Wohngebäude', 'Dachbegrünung der Sporthalle', 'Quartierskonzept Altstadt', 'Fenstertausch im Dorfgemeinschaftshaus', 'Energieberatung für Hausbesitzer'],
	// mobility
	['Radwegenetz zwischen den Ortsteilen', 'öffentliche E-Ladesäulen', 'Carsharing mit Elektrofahrzeugen', 'Rufbus für den ländlichen Raum', 'Fahrradabstellanlagen am Bahnhof', 'Mitfahrbänke', 'Lastenradverleih', 'Tempo 30 in Wohngebieten'],
	// municipal
	['Klimaschutzmanagement', 'Energiecontrolling der Liegenschaften', 'klimafreundliche Beschaffungsrichtlinie', 'Elektrifizierung des Fuhrparks', 'LED-Straßenbeleuchtung', 'Ökostrom für alle Liegenschaften', 'Klimacheck für Ratsbeschlüsse'],
	// adaptation
	['Hitzeaktionsplan', 'Starkregenvorsorge', 'Entsiegelung von Schulhöfen', 'Pflanzung klimaresistenter Stadtbäume', 'Regenwasserzisternen an öffentlichen Gebäuden', 'Trinkbrunnen in der Innenstadt', 'Waldumbau im Gemeindewald'],
	// participation
	['Klimaschutzwettbewerb für Schulen', 'Energiesparberatung für Haushalte', 'Bürgerwerkstatt Klimaschutz', 'Klimaschutz-Newsletter', 'Thermografie-Spaziergang', 'Stadtradeln', 'Repair-Café']
];
const VERBS = ['Ausbau von', 'Förderprogramm für', 'Umsetzung:', 'Machbarkeitsstudie zu', 'Konzept für', 'Kampagne zu', 'Einführung von', 'Pilotprojekt:', 'Fortführung:', 'Planung:'];
const SUFFIXES = ['', '', '', ' – zweiter Bauabschnitt', ' im Ortsteil Nord', ' (interkommunal)', ' gemeinsam mit den Stadtwerken', ' bis 2030'];
const THEME_SENTENCES = [
	['Auf geeigneten Dachflächen werden Photovoltaikanlagen mit Batteriespeicher errichtet.', 'Die Wärmeversorgung soll schrittweise auf erneuerbare Energien umgestellt werden.', 'Eine Bürgerenergiegenossenschaft beteiligt die Einwohnerinnen und Einwohner an den Erträgen.', 'Für das Nahwärmenetz wird die Abwärme der Biogasanlage genutzt.', 'Die Flächenkulisse für Windenergie wird mit dem Regionalplan abgestimmt.'],
	['Die Gebäudehülle wird nach dem Standard Effizienzhaus 55 saniert.', 'Die alte Ölheizung wird durch eine Wärmepumpe ersetzt.', 'Eine Energieberatung zeigt Eigentümern die wirtschaftlichsten Sanierungsschritte.', 'Das Dach wird statisch geprüft und anschließend gedämmt.'],
	['Der Radweg schließt eine Lücke im Alltagsnetz zwischen Wohngebiet und Schule.', 'Ladepunkte werden an Parkplätzen von Rathaus und Supermarkt eingerichtet.', 'Der Rufbus ergänzt den Linienverkehr in den Abendstunden.', 'Sichere Abstellanlagen machen das Umsteigen auf Bahn und Rad attraktiver.'],
	['Der Energieverbrauch aller Liegenschaften wird monatlich erfasst und ausgewertet.', 'Bei Ersatzbeschaffungen werden nur noch Elektrofahrzeuge angeschafft.', 'Die Straßenbeleuchtung wird vollständig auf LED umgerüstet.', 'Das Klimaschutzmanagement koordiniert die Maßnahmen der Verwaltung.'],
	['Versiegelte Flächen werden entsiegelt und begrünt.', 'Ein Starkregen-Risikomanagement identifiziert gefährdete Straßenzüge.', 'Schattenplätze und Trinkwasserbrunnen schützen vor Hitze.', 'Der Waldumbau setzt auf klimaresistente Mischbestände.'],
	['Schulen und Vereine werden über Wettbewerbe eingebunden.', 'Die Energiesparberatung findet im Bürgerbüro und vor Ort statt.', 'Ergebnisse werden im Amtsblatt und auf der Website veröffentlicht.', 'Eine Bürgerwerkstatt sammelt Ideen für den Klimaschutz im Ort.']
];
const GENERAL = [
	'Die Finanzierung erfolgt über die Kommunalrichtlinie und Eigenmittel.',
	'Der Gemeinderat hat die Maßnahme im Haushalt berücksichtigt.',
	'Zusätzlich werden die Dachflächen auf ihre Eignung für Photovoltaik geprüft.',
	'Die Abstimmung mit dem Landkreis und den Nachbargemeinden läuft.',
	'Ein Fördermittelantrag wurde bei der Landesenergieagentur gestellt.',
	'Die Umsetzung verzögert sich wegen fehlender Handwerkerkapazitäten.',
	'Die Einsparung an Treibhausgasen wird jährlich im Energiebericht ausgewiesen.',
	'Die Denkmalschutzbehörde ist frühzeitig beteiligt worden.',
	'Der Bauausschuss berät im nächsten Quartal über die Ausschreibung.',
	'Erfahrungen aus Nachbarkommunen fließen in die Planung ein.',
	'Die Maßnahme ist Teil des integrierten Klimaschutzkonzepts.',
	'Die Stadtwerke übernehmen Betrieb und Wartung.'
];
const PREFIX = ['', '', '', 'Ober', 'Nieder', 'Groß', 'Klein', 'Bad ', 'Alt', 'Neu'];
const STEM = ['wernig', 'halber', 'quedlin', 'oster', 'blanken', 'thal', 'ilsen', 'harz', 'elbing', 'stolber', 'benne', 'hassel', 'sülz', 'dardes', 'wegeles', 'ditfurt', 'schwane', 'huy', 'hedders', 'rieder'];
const SUFFIX = ['rode', 'stadt', 'burg', 'wieck', 'feld', 'dorf', 'hausen', 'berg', 'leben', 'heim'];
const FIRST = ['Anna', 'Jonas', 'Lena', 'Paul', 'Marie', 'Felix', 'Sophie', 'Lukas', 'Clara', 'Moritz', 'Hanna', 'Tim', 'Greta', 'Jan', 'Frieda'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann'];
const TASKS = ['Angebote einholen', 'Fördermittelantrag stellen', 'Ratsbeschluss vorbereiten', 'Ausschreibung veröffentlichen', 'Abstimmung mit dem Bauamt', 'Pressemitteilung schreiben', 'Bürgerinformation vorbereiten', 'Zwischenbericht erstellen', 'Statik prüfen lassen', 'Netzanschluss beantragen'];
const UPDATES = ['Auftaktgespräch mit den Beteiligten geführt.', 'Angebote liegen vor, Vergabe im Ausschuss.', 'Förderbescheid eingegangen.', 'Bauarbeiten haben begonnen.', 'Abnahme erfolgt, Dokumentation folgt.', 'Wegen Haushaltssperre zurückgestellt.', 'Planung im Gemeinderat vorgestellt.'];
const CONFLICT_NOTES = ['Denkmalschutz: Ensembleschutz im Ortskern, Abstimmung mit der unteren Denkmalschutzbehörde nötig.', 'Naturschutz: Brutvorkommen im Eingriffsbereich, Gutachten erforderlich.', 'Wirtschaftlichkeit: Amortisation über 25 Jahre.', 'Baurecht: Außenbereich, Bebauungsplan fehlt.'];

/**
 * The fill, as [table, sql] pairs in dependency order; each is one statement (one transaction).
 * `bodies` municipalities with `perBody` measures each.
 */
export function fillStatements({ bodies = 500, perBody = 40 } = {}) {
	const M = bodies * perBody;
	const bodyOf = (g) => `((${g}) / ${perBody} + 1)`;
	const posOf = (g) => `(ARRAY[${POS_BY_N8.join(',')}])[1 + ((${g}) % ${perBody}) % 8]`;
	const themeCase = (pos, lists, salt, gExpr) =>
		`CASE ${pos} ${lists.map((l, i) => `WHEN ${i} THEN ${pick(l, gExpr, salt)}`).join(' ')} END`;
	// Status by share: idea 12 %, planned 25 %, preparation 15 %, implementation 25 %, completed 13 %, on hold 5 %, discarded 5 %.
	const status = (g) =>
		`(CASE WHEN ${h(g, 11, 100)} < 12 THEN 'idea' WHEN ${h(g, 11, 100)} < 37 THEN 'planned' WHEN ${h(g, 11, 100)} < 52 THEN 'preparation' WHEN ${h(g, 11, 100)} < 77 THEN 'implementation' WHEN ${h(g, 11, 100)} < 90 THEN 'completed' WHEN ${h(g, 11, 100)} < 95 THEN 'on_hold' ELSE 'discarded' END)`;
	const net = NETWORK;
	const user = q(COORDINATOR.id);
	return [
		[
			'networks',
			`INSERT INTO networks (id, slug, name, region, description) VALUES (${net}, ${q(SLUG)}, 'Benchmark-Netzwerk', 'Testregion', 'Lastdaten für bench/measures.js')`
		],
		[
			'users + memberships',
			`WITH u AS (INSERT INTO users (id, name, email, email_verified) VALUES (${user}, ${q(COORDINATOR.name)}, ${q(COORDINATOR.email)}, true) RETURNING id)
			 INSERT INTO memberships (id, network_id, user_id, role) SELECT md5('membership')::uuid, ${net}, id, 'coordinator' FROM u`
		],
		[
			'bodies',
			`INSERT INTO bodies (id, network_id, ags, name, kind, verbandsgemeinde, population, population_year, area_km2, concept_status, concept_adopted_on)
			 SELECT ${id('b', 'b')}, ${net}, '15' || lpad(b::text, 6, '0'),
			   ${pick(PREFIX, 'b', 1)} || CASE WHEN ${pick(PREFIX, 'b', 1)} IN ('', 'Bad ') THEN initcap(${pick(STEM, 'b', 2)}) ELSE ${pick(STEM, 'b', 2)} END || ${pick(SUFFIX, 'b', 3)},
			   (CASE WHEN b % 10 = 0 THEN 'stadt' ELSE 'gemeinde' END)::body_kind,
			   CASE WHEN b % 3 = 0 THEN 'Verbandsgemeinde ' || ((b / 30) + 1) END,
			   500 + ${h('b', 4, 40000)}, 2023, 10 + ${h('b', 5, 200)}, 'adopted', date '2019-01-01' + ${h('b', 6, 1800)}
			 FROM generate_series(1, ${bodies}) b`
		],
		[
			'people',
			`INSERT INTO people (id, network_id, body_id, name, function, email)
			 SELECT ${id('p', 'b')}, ${net}, ${id('b', 'b')}, ${pick(FIRST, 'b', 7)} || ' ' || ${pick(LAST, 'b', 8)}, 'klimaschutzmanager', 'klima' || b || '@bench.example'
			 FROM generate_series(1, ${bodies}) b`
		],
		[
			'concepts',
			`INSERT INTO concepts (id, network_id, body_id, title, kind, adopted_on, resolution, target_year, description)
			 SELECT ${id('c', 'b')}, ${net}, ${id('b', 'b')}, 'Integriertes Klimaschutzkonzept ' || (2018 + b % 6), 'integrated',
			   date '2019-01-01' + ${h('b', 6, 1800)}, 'GR-' || b || '/2021', 2040 + (b % 3) * 5, 'Konzept mit Maßnahmenkatalog und Controlling.'
			 FROM generate_series(1, ${bodies}) b`
		],
		[
			'fields_of_action',
			`INSERT INTO fields_of_action (id, network_id, concept_id, position, name, theme, color)
			 SELECT ${id('f', "b || '-' || p")}, ${net}, ${id('c', 'b')}, p,
			   CASE WHEN b % 2 = 0 THEN (${arr(FIELDS.map((f) => f[1]))})[p + 1] ELSE (${arr(FIELDS.map((f) => f[2]))})[p + 1] END,
			   ((${arr(FIELDS.map((f) => f[0]))})[p + 1])::field_theme, (${arr(FIELDS.map((f) => f[3]))})[p + 1]
			 FROM generate_series(1, ${bodies}) b CROSS JOIN generate_series(0, ${FIELDS.length - 1}) p`
		],
		[
			'measures',
			`INSERT INTO measures (id, network_id, concept_id, body_id, field_id, code, title, description, status, status_reason, progress, priority, term,
			   responsible_body_id, contact_person_id, planned_start, planned_end, actual_start, cost_estimate, funding_source, savings_t, is_public,
			   last_update_at, created_at, updated_at)
			 SELECT ${id('m', 'g')}, ${net}, ${id('c', 'b')}, ${id('b', 'b')}, ${id('f', "b || '-' || pos")},
			   'M-' || (pos + 1) || '.' || lpad((n + 1)::text, 2, '0'),
			   ${pick(VERBS, 'g', 12)} || ' ' || ${themeCase('pos', OBJECTS, 13, 'g')} || ${pick(SUFFIXES, 'g', 14)},
			   ${themeCase('pos', THEME_SENTENCES, 15, 'g')} || ' ' || ${pick(GENERAL, 'g', 16)} || ' ' || ${pick(GENERAL, 'g', 17)},
			   st::measure_status,
			   CASE WHEN st = 'on_hold' THEN 'Haushaltssperre bis zur Genehmigung des Doppelhaushalts.' WHEN st = 'discarded' THEN 'Fördermittel abgelehnt, Wirtschaftlichkeit nicht gegeben.' ELSE '' END,
			   CASE st WHEN 'idea' THEN 0 WHEN 'planned' THEN ${h('g', 18, 10)} WHEN 'preparation' THEN 5 + ${h('g', 18, 25)}
			     WHEN 'implementation' THEN 20 + ${h('g', 18, 70)} WHEN 'completed' THEN 100 WHEN 'on_hold' THEN 10 + ${h('g', 18, 50)} ELSE 0 END,
			   (${arr(['high', 'medium', 'medium', 'low'])})[1 + ${h('g', 19, 4)}]::measure_priority,
			   ((${arr(['short', 'medium', 'long', 'short'])})[1 + ${h('g', 20, 4)}])::measure_term,
			   ${id('b', 'b')}, CASE WHEN ${h('g', 21, 10)} < 7 THEN ${id('p', 'b')} END,
			   ps, CASE WHEN ps IS NOT NULL THEN ps + 90 + ${h('g', 23, 1000)} END,
			   CASE WHEN st IN ('implementation', 'completed') THEN ps + ${h('g', 24, 60)} END,
			   1000 * (1 + ${h('g', 25, 800)}), ${pick(['Kommunalrichtlinie', 'KfW 432', 'Eigenmittel', 'EFRE', 'Landesprogramm Klima III', ''], 'g', 26)},
			   ${h('g', 27, 2000)} / 10.0, ${h('g', 28, 100)} < 35,
			   now() - make_interval(days => ${h('g', 29, 400)}), now() - make_interval(days => 400 + ${h('g', 30, 900)}), now() - make_interval(days => ${h('g', 31, 700)})
			 FROM (SELECT g, ${bodyOf('g')} AS b, g % ${perBody} AS n, ${posOf('g')} AS pos, ${status('g')} AS st,
			         CASE WHEN ${h('g', 22, 10)} > 0 THEN date '2022-01-01' + ${h('g', 22, 1460)} END AS ps
			       FROM generate_series(0, ${M - 1}) g) s`
		],
		[
			'measure_partners',
			`INSERT INTO measure_partners (measure_id, body_id, network_id)
			 SELECT ${id('m', 'g')}, ${id('b', `${bodyOf('g')} % ${bodies} + 1`)}, ${net}
			 FROM generate_series(0, ${M - 1}) g WHERE ${h('g', 40, 10)} = 0`
		],
		[
			// 70 % of the measures assessed on all five aspects; per aspect 40 % not relevant, 30 % cleared, 28 % to check, 2 % conflict.
			'measure_constraints',
			`INSERT INTO measure_constraints (measure_id, aspect, network_id, state, note, checked_on)
			 SELECT ${id('m', 'g')}, a.aspect::constraint_aspect, ${net}, st::constraint_state,
			   CASE WHEN st = 'conflict' THEN ${pick(CONFLICT_NOTES, 'g * 5 + a.k', 42)} WHEN st = 'to_check' THEN 'Prüfung beim Landkreis angefragt.' ELSE '' END,
			   CASE WHEN st <> 'to_check' THEN current_date - ${h('g * 5 + a.k', 43, 700)} END
			 FROM generate_series(0, ${M - 1}) g
			 CROSS JOIN (VALUES (0, 'economic'), (1, 'building'), (2, 'nature'), (3, 'monument'), (4, 'other')) a(k, aspect)
			 CROSS JOIN LATERAL (SELECT CASE WHEN ${h('g * 5 + a.k', 41, 100)} < 40 THEN 'not_relevant' WHEN ${h('g * 5 + a.k', 41, 100)} < 70 THEN 'cleared'
			   WHEN ${h('g * 5 + a.k', 41, 100)} < 98 THEN 'to_check' ELSE 'conflict' END AS st) x
			 WHERE ${h('g', 44, 100)} < 70`
		],
		[
			// 0–3 tasks per measure, due from 200 days ago to 400 days ahead: open past-due ones are overdue.
			'measure_tasks',
			`INSERT INTO measure_tasks (id, network_id, measure_id, title, owner_person_id, due_on, state)
			 SELECT ${id('t', "g || '-' || t")}, ${net}, ${id('m', 'g')}, ${pick(TASKS, 'g * 3 + t', 50)}, ${id('p', bodyOf('g'))},
			   current_date - 200 + ${h('g * 3 + t', 51, 600)},
			   ((${arr(['open', 'open', 'open', 'in_progress', 'in_progress', 'done', 'done', 'done', 'open', 'cancelled'])})[1 + ${h('g * 3 + t', 52, 10)}])::task_state
			 FROM generate_series(0, ${M - 1}) g CROSS JOIN generate_series(1, 3) t
			 WHERE t <= ${h('g', 53, 4)}`
		],
		[
			'measure_updates',
			`INSERT INTO measure_updates (id, network_id, measure_id, kind, happened_on, text, status_from, status_to, progress_from, progress_to, author_id, author_name, created_at)
			 SELECT ${id('u', 'g')}, ${net}, m.id, 'status', m.last_update_at::date, ${pick(UPDATES, 'g', 60)},
			   CASE WHEN m.status = 'idea' THEN NULL ELSE 'idea' END::measure_status, m.status, 0, m.progress, ${user}, ${q(COORDINATOR.name)}, m.last_update_at
			 FROM generate_series(0, ${M - 1}) g JOIN measures m ON m.id = ${id('m', 'g')}`
		],
		['measure_settings', `INSERT INTO measure_settings (network_id) VALUES (${net})`]
	];
}
