// The value lists of offers, one place for the server modules and the components (this file ships
// to the browser, so it cannot read the Drizzle schema; enums.test.ts checks that every list
// equals its database enum). The order is the order forms and filters show.

/** offer_kind */
export const OFFER_KINDS = ['consultancy', 'software', 'product', 'campaign', 'event', 'training', 'funding_programme'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** price_model */
export const PRICE_MODELS = ['one_off', 'per_year', 'per_inhabitant', 'free'] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

/** The fields of action offers serve: the measures' field_theme. */
export const OFFER_THEMES = ['energy', 'buildings', 'mobility', 'municipal', 'adaptation', 'land_use', 'economy', 'participation', 'other'] as const;
export type OfferTheme = (typeof OFFER_THEMES)[number];

/** recommendation, in the order the assessment form offers it (yes, with reservations, no). */
export const RECOMMENDATIONS = ['yes', 'reservations', 'no'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** The rating scale of effort and benefit, as the form sends it. */
export const RATING_SCALE = ['1', '2', '3', '4', '5'] as const;

/** Orders of the offer list (?sortierung=). */
export const OFFER_SORTS = ['title', 'assessed'] as const;
export type OfferSort = (typeof OFFER_SORTS)[number];

/** The quadrants of the effort/benefit matrix. */
export const QUADRANTS = ['highBenefitLowEffort', 'highBenefitHighEffort', 'lowBenefitLowEffort', 'lowBenefitHighEffort'] as const;
export type Quadrant = (typeof QUADRANTS)[number];
