// Demo data of the measures module: the district's concept and the plans of five towns in the Harz
// demo network (network/demo/measures-harz.json), entered through the module's own services so
// every rule, history entry and audit entry is the same as for real input. Times in the file are
// relative to the day of loading, so the demo always has recent updates, stale measures and
// overdue tasks. The concepts say in their description that they are invented.
import { eq, sql } from 'drizzle-orm';
import { db } from '../db/client';
import { bodies, concepts, measures, measureUpdates } from '../db/schema';
import type { Actor } from '../auth/actor';
import { todayIso } from '../network/directory-shared';
import demo from '../network/demo/measures-harz.json';
import { addField, createConcept } from './concepts';
import { createMeasure } from './measures';
import { postStatusUpdate } from './history';
import { addTask } from './tasks';
import { setConstraint } from './constraints';
import { copyMeasure } from './copy';

interface DemoMeasure {
	code: string;
	field: string;
	/** Days before loading (negative) when the measure was entered. */
	created: number;
	/** "<AGS>:<code>" of a measure of another town this one is copied from. */
	copyOf?: string;
	title?: string;
	description?: string;
	status?: string;
	statusReason?: string;
	progress?: number;
	priority?: string;
	term?: string | null;
	/** Months relative to loading. */
	start?: number;
	end?: number;
	actualStart?: number;
	actualEnd?: number;
	costEstimate?: number | null;
	fundingSource?: string;
	savingsT?: number | null;
	public?: boolean;
	partners?: string[];
	updates?: { on: number; text: string; status?: string; progress?: number; statusReason?: string }[];
	tasks?: { title: string; due: number; state: string }[];
	constraints?: { aspect: string; state: string; note: string; on: number }[];
}
interface DemoConcept {
	ags: string;
	title: string;
	kind: string;
	targetYear: number | null;
	description: string;
	fields: { key: string; name: string; theme: string; color: string }[];
	measures: DemoMeasure[];
}

const DATA = demo as unknown as { concepts: DemoConcept[] };

const DEMO_NOTE =
	'Beispieldaten der Demo-Installation: Konzept und Maßnahmen sind für die Vorführung erfunden und geben nicht die tatsächlichen Planungen der Kommune wieder.';

/** The data file's day offsets → ISO dates. */
function dayFrom(today: string, offset: number): string {
	const d = new Date(`${today}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + offset);
	return d.toISOString().slice(0, 10);
}

/** Month offsets → the first (start) or last (end) day of that month. */
function monthFrom(today: string, offset: number | undefined, edge: 'first' | 'last'): string {
	if (offset === undefined) return '';
	const [y, m] = today.split('-').map(Number);
	const d = edge === 'first' ? new Date(Date.UTC(y, m - 1 + offset, 1)) : new Date(Date.UTC(y, m + offset, 0));
	return d.toISOString().slice(0, 10);
}

const num = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export interface DemoSummary {
	skipped: boolean;
	concepts: number;
	measures: number;
}

/**
 * Loads the demo concepts and measures into the Harz demo network, acting as its coordinator.
 * Does nothing when the network already has a concept (a second start, or real data entered).
 */
export async function seedMeasuresDemo(actor: Actor, networkId: string, opts: { today?: string } = {}): Promise<DemoSummary> {
	const [{ n }] = await db().select({ n: sql<number>`count(*)::int` }).from(concepts).where(eq(concepts.networkId, networkId));
	if (n > 0) return { skipped: true, concepts: 0, measures: 0 };
	const today = opts.today ?? todayIso();
	const bodyByAgs = new Map(
		(await db().select({ id: bodies.id, ags: bodies.ags }).from(bodies).where(eq(bodies.networkId, networkId))).map((b) => [b.ags, b.id])
	);
	const bodyId = (ags: string) => {
		const id = bodyByAgs.get(ags);
		if (!id) throw new Error(`measures demo: no body with AGS ${ags}`);
		return id;
	};

	const measureIds = new Map<string, string>();
	const createdOn = new Map<string, string>();
	let conceptCount = 0;
	for (const c of DATA.concepts) {
		const concept = await createConcept(actor, networkId, bodyId(c.ags), {
			title: c.title,
			kind: c.kind,
			targetYear: num(c.targetYear),
			description: `${c.description}\n\n${DEMO_NOTE}`
		});
		conceptCount++;
		const fieldIds = new Map<string, string>();
		for (const f of c.fields) {
			fieldIds.set(f.key, (await addField(actor, networkId, concept.id, { name: f.name, theme: f.theme, color: f.color })).id);
		}
		for (const m of c.measures) {
			const fieldId = fieldIds.get(m.field) ?? '';
			let id: string;
			if (m.copyOf) {
				const sourceId = measureIds.get(m.copyOf);
				if (!sourceId) throw new Error(`measures demo: ${m.code} copies unknown ${m.copyOf}`);
				id = (await copyMeasure(actor, networkId, sourceId, concept.id, { code: m.code, fieldId })).id;
			} else {
				id = (
					await createMeasure(actor, networkId, concept.id, {
						code: m.code,
						title: m.title ?? '',
						description: m.description ?? '',
						fieldId,
						status: m.status ?? 'idea',
						statusReason: m.statusReason ?? '',
						progress: num(m.progress ?? 0),
						priority: m.priority ?? 'medium',
						term: m.term ?? '',
						plannedStart: monthFrom(today, m.start, 'first'),
						plannedEnd: monthFrom(today, m.end, 'last'),
						actualStart: monthFrom(today, m.actualStart, 'first'),
						actualEnd: monthFrom(today, m.actualEnd, 'last'),
						costEstimate: num(m.costEstimate),
						fundingSource: m.fundingSource ?? '',
						savingsT: num(m.savingsT),
						isPublic: m.public ? 'on' : '',
						partnerBodyIds: (m.partners ?? []).map(bodyId)
					})
				).id;
			}
			measureIds.set(`${c.ags}:${m.code}`, id);
			createdOn.set(id, dayFrom(today, m.created));
			for (const u of m.updates ?? []) {
				await postStatusUpdate(actor, networkId, id, {
					happenedOn: dayFrom(today, u.on),
					text: u.text,
					status: u.status ?? '',
					progress: num(u.progress),
					statusReason: u.statusReason ?? ''
				});
			}
			for (const t of m.tasks ?? []) {
				await addTask(actor, networkId, id, { title: t.title, dueOn: dayFrom(today, t.due), state: t.state });
			}
			for (const k of m.constraints ?? []) {
				await setConstraint(actor, networkId, id, { aspect: k.aspect, state: k.state, note: k.note, checkedOn: dayFrom(today, k.on) });
			}
		}
	}

	// The services date everything "today"; the demo's history reaches back up to three years, so
	// the entry dates and the stale-check timestamp follow the dates of the history entries.
	const dated = JSON.stringify([...createdOn].map(([id, on]) => ({ id, on })));
	await db().transaction(async (tx) => {
		await tx.execute(sql`update ${measureUpdates} u set happened_on = (d->>'on')::date
			from jsonb_array_elements(${dated}::jsonb) d
			where u.measure_id = (d->>'id')::uuid and u.kind = 'created'`);
		await tx.execute(sql`update ${measures} m set created_at = (d->>'on')::date + time '10:00',
				last_update_at = (select max(u.happened_on) from ${measureUpdates} u where u.measure_id = m.id) + time '10:00'
			from jsonb_array_elements(${dated}::jsonb) d
			where m.id = (d->>'id')::uuid`);
	});
	return { skipped: false, concepts: conceptCount, measures: measureIds.size };
}
