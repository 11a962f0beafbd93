// The offer list as a spreadsheet (.xlsx or CSV for German Excel): the facts of each offer and the
// towns' aggregates, partners apart. Column headers are the file format, fixed German constants (as
// in the measure export); kinds and price models use the German UI labels.
import { translate } from '$lib/i18n';
import type { Actor } from '../auth/actor';
import { ForbiddenError } from '../errors';
import { NUM_FORMATS, writeSpreadsheet, type Cell, type ExportFormat, type SheetColumn } from '../files/spreadsheet-export';
import { canOffer } from './permissions';
import { iterateOffers, type OfferFilter, type OfferListItem } from './offers';

const YES = 'ja';
const NO = 'nein';

const COLUMNS: (SheetColumn & { value: (o: OfferListItem) => Cell })[] = [
	{ header: 'ID', width: 38, numFmt: NUM_FORMATS.text, value: (o) => o.id },
	{ header: 'Titel', width: 45, numFmt: NUM_FORMATS.text, value: (o) => o.title },
	{ header: 'Anbieter', width: 30, numFmt: NUM_FORMATS.text, value: (o) => o.provider },
	{ header: 'Art', width: 18, value: (o) => translate('de', `offers.kind.${o.kind}`) },
	{ header: 'Preismodell', width: 22, value: (o) => translate('de', `offers.price.${o.priceModel}`) },
	{ header: 'Kosten von (EUR)', width: 14, numFmt: NUM_FORMATS.decimal, value: (o) => o.costMin },
	{ header: 'Kosten bis (EUR)', width: 14, numFmt: NUM_FORMATS.decimal, value: (o) => o.costMax },
	{ header: 'Handlungsfelder', width: 36, value: (o) => o.themes.map((t) => translate('de', `measure.theme.${t}`)).join(', ') },
	{ header: 'Bewertungen Kommunen', width: 12, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.count },
	{ header: 'Aufwand Ø', width: 11, numFmt: NUM_FORMATS.decimal, value: (o) => round(o.aggregate.towns.effortMean) },
	{ header: 'Nutzen Ø', width: 11, numFmt: NUM_FORMATS.decimal, value: (o) => round(o.aggregate.towns.benefitMean) },
	{ header: 'Nutzen min', width: 11, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.benefitMin },
	{ header: 'Nutzen max', width: 11, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.benefitMax },
	{ header: 'Spannweite Nutzen', width: 11, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.benefitSpread },
	{ header: 'Tatsächliche Kosten Ø (EUR)', width: 14, numFmt: NUM_FORMATS.decimal, value: (o) => round(o.aggregate.towns.costMean) },
	{ header: 'Empfehlung ja', width: 10, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.recommend.yes },
	{ header: 'Empfehlung mit Vorbehalt', width: 10, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.recommend.reservations },
	{ header: 'Empfehlung nein', width: 10, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.towns.recommend.no },
	{ header: 'Kommunen', width: 40, numFmt: NUM_FORMATS.text, value: (o) => o.aggregate.townNames.join(', ') },
	{ header: 'Bewertungen Partner', width: 12, numFmt: NUM_FORMATS.int, value: (o) => o.aggregate.partners.count },
	{ header: 'Aufwand Ø Partner', width: 11, numFmt: NUM_FORMATS.decimal, value: (o) => round(o.aggregate.partners.effortMean) },
	{ header: 'Nutzen Ø Partner', width: 11, numFmt: NUM_FORMATS.decimal, value: (o) => round(o.aggregate.partners.benefitMean) },
	{ header: 'Zur Diskussion', width: 11, value: (o) => (o.aggregate.flagged ? YES : NO) },
	{ header: 'Archiviert', width: 10, value: (o) => (o.archivedAt ? YES : NO) }
];

const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** The filtered list as a file (all pages). Working area only. */
export async function exportOffers(actor: Actor, networkId: string, filter: OfferFilter, format: ExportFormat): Promise<Uint8Array> {
	if (!canOffer(actor, 'offer.read', { networkId })) throw new ForbiddenError();
	async function* rows() {
		for await (const o of iterateOffers(actor, networkId, filter)) yield COLUMNS.map((c) => c.value(o));
	}
	return writeSpreadsheet(format, { sheetName: 'Angebote', columns: COLUMNS, rows: rows() });
}

export const EXPORT_HEADERS = COLUMNS.map((c) => c.header);
