import { describe, expect, it } from 'vitest';
import { offerKind, priceModel, recommendation } from './schema';
import { fieldTheme } from '../measures/schema';
import { OFFER_KINDS, OFFER_THEMES, PRICE_MODELS, RECOMMENDATIONS } from '$lib/offers/enums';

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('offer enums', () => {
	it('equal the database enums', () => {
		expect(OFFER_KINDS).toEqual(offerKind.enumValues);
		expect(PRICE_MODELS).toEqual(priceModel.enumValues);
		expect(OFFER_THEMES).toEqual(fieldTheme.enumValues);
		// Shown in the form's order, but the same values.
		expect(sorted(RECOMMENDATIONS)).toEqual(sorted(recommendation.enumValues));
	});
});
