// The record registry: each module declares its record types once (how to find a record's title
// and URL, and who may see it). Links between modules, search, notifications, file access and the
// audit log go through here, so they treat every module alike without knowing its tables.
import type { Actor } from '../auth/actor';

export interface RecordRef {
	type: string;
	id: string;
}

export interface ResolvedRecord {
	type: string;
	id: string;
	networkId: string | null;
	title: string;
	/** Path inside the app, e.g. /harz/intern/kommunen/15085135 */
	url: string;
	/** Public records may be shown to visitors (portal); others only inside the working area. */
	isPublic: boolean;
	/** The body (municipality) the record belongs to, where permissions depend on it. */
	bodyId?: string | null;
}

/** What a record type learns about one of its files when asked whether it may be deleted. */
export interface RecordFile {
	id: string;
	/** Null once the uploader's account is gone. */
	uploadedBy: string | null;
}

export interface RecordType {
	type: string;
	/** Message key of the record type's German/English name, e.g. 'record.body'. */
	labelKey: string;
	/** Loads a record by id (no permission check); null when it does not exist. */
	load(id: string): Promise<ResolvedRecord | null>;
	/** May the actor see this record? */
	canRead(actor: Actor, record: ResolvedRecord): boolean;
	/** May the actor change it (e.g. attach files)? */
	canEdit(actor: Actor, record: ResolvedRecord): boolean;
	/**
	 * May the actor delete this file of the record? Without it, whoever may edit the record may.
	 * For records many people may edit (a discussion thread: everyone who may reply) it narrows
	 * deleting to, say, the uploader and the coordinators.
	 */
	canDeleteFile?(actor: Actor, record: ResolvedRecord, file: RecordFile): boolean;
	/**
	 * Paths of the record's pages, with the id as the first capture group, e.g.
	 * /^\/[^/]+\/intern\/massnahmen\/([0-9a-f-]{36})$/. Lets people link records by pasting an address.
	 */
	pathPatterns?: RegExp[];
}

const types = new Map<string, RecordType>();

export function registerRecordType(def: RecordType) {
	// The dev server re-runs start-up after a module changed (hot reload) with fresh definitions of
	// the same types: there, the newer one wins. Elsewhere two definitions of one type are a bug.
	if (types.has(def.type) && types.get(def.type) !== def && !import.meta.env?.DEV) {
		throw new Error(`record type ${def.type} registered twice`);
	}
	types.set(def.type, def);
}

export function recordType(type: string): RecordType | undefined {
	return types.get(type);
}

export function recordTypes(): RecordType[] {
	return [...types.values()];
}

/** Resolves a reference for an actor: null when it does not exist or they may not see it. */
export async function resolveRecord(actor: Actor, ref: RecordRef): Promise<ResolvedRecord | null> {
	const def = types.get(ref.type);
	if (!def) return null;
	const rec = await def.load(ref.id);
	if (!rec || !def.canRead(actor, rec)) return null;
	return rec;
}

export async function canEditRecord(actor: Actor, ref: RecordRef): Promise<boolean> {
	const def = types.get(ref.type);
	if (!def) return false;
	const rec = await def.load(ref.id);
	return !!rec && def.canEdit(actor, rec);
}

/** The record a path inside the app points to (see pathPatterns), or null. */
export function recordRefFromPath(path: string): RecordRef | null {
	for (const def of types.values()) {
		for (const re of def.pathPatterns ?? []) {
			const m = re.exec(path);
			if (m?.[1]) return { type: def.type, id: m[1] };
		}
	}
	return null;
}
