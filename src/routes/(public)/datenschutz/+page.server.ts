import type { PageServerLoad } from './$types';
import { legalPageData } from '$lib/server/http/legal';

export const load: PageServerLoad = ({ locals }) => legalPageData(locals.locale, 'legal.privacy.title');
