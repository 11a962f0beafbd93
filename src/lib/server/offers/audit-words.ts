// The change log's view of offers and their assessments: the logged values in words (kinds, price
// models, fields of action, recommendations in the reader's language; the offer and the partner
// organisation by name instead of their ids). The log page calls `offerAuditWords` once per page
// of entries and passes every logged state through the function it returns; other record types
// come back unchanged.
import { and, eq, inArray } from 'drizzle-orm';
import { translate, type Locale } from '$lib/i18n';
import { db } from '../db/client';
import { partners } from '../network/schema';
import { offers } from './schema';

type Values = Record<string, unknown> | null;

const OFFER_TYPES = new Set(['offer', 'offer_assessment']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Enum fields and where their labels live. */
const ENUM_KEYS: Record<string, string> = {
	kind: 'offers.kind',
	priceModel: 'offers.price',
	recommend: 'offers.recommend'
};

const obj = (v: unknown): Values => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/**
 * Names of the offers and partner organisations the given entries point to (this network only),
 * and the function that puts a logged state of an offer or assessment into words.
 */
export async function offerAuditWords(
	networkId: string,
	locale: Locale,
	entries: readonly { recordType: string; before: unknown; after: unknown }[]
): Promise<(recordType: string, values: Values) => Values> {
	const offerIds = new Set<string>();
	const partnerIds = new Set<string>();
	for (const e of entries) {
		if (e.recordType !== 'offer_assessment') continue;
		for (const side of [obj(e.before), obj(e.after)]) {
			if (typeof side?.offerId === 'string' && UUID.test(side.offerId)) offerIds.add(side.offerId);
			if (typeof side?.partnerId === 'string' && UUID.test(side.partnerId)) partnerIds.add(side.partnerId);
		}
	}
	const [offerRows, partnerRows] = await Promise.all([
		offerIds.size
			? db().select({ id: offers.id, name: offers.title }).from(offers).where(and(eq(offers.networkId, networkId), inArray(offers.id, [...offerIds])))
			: Promise.resolve([]),
		partnerIds.size
			? db().select({ id: partners.id, name: partners.name }).from(partners).where(and(eq(partners.networkId, networkId), inArray(partners.id, [...partnerIds])))
			: Promise.resolve([])
	]);
	const names = new Map<string, string>([...offerRows, ...partnerRows].map((r) => [r.id, r.name]));
	const label = (prefix: string, v: string) => {
		const s = translate(locale, `${prefix}.${v}`);
		return s === `${prefix}.${v}` ? v : s;
	};

	return (recordType, values) => {
		if (!values || !OFFER_TYPES.has(recordType)) return values;
		const out: Record<string, unknown> = {};
		for (const [field, v] of Object.entries(values)) {
			if (field === 'offerTitle' && values.offerId !== undefined) continue; // the offer's name stands under offerId
			if (field === 'replaces') {
				// The id of the assessment replaced says nothing to a reader; whether one was replaced does.
				out.replaces = v ? translate(locale, 'dir.yes') : null;
				continue;
			}
			if (typeof v === 'string' && ENUM_KEYS[field]) out[field] = label(ENUM_KEYS[field], v);
			else if (field === 'themes' && Array.isArray(v)) out.themes = v.map((x) => (typeof x === 'string' ? label('measure.theme', x) : x)).join(', ');
			else if ((field === 'offerId' || field === 'partnerId') && typeof v === 'string')
				out[field === 'offerId' ? 'offerTitle' : 'partnerId'] = names.get(v) ?? (field === 'offerId' && typeof values.offerTitle === 'string' ? values.offerTitle : v);
			else out[field] = v;
		}
		return out;
	};
}
