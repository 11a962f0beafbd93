// The operator's view of the job queue: counts and failed jobs, with a retry button.
import type { Actions, PageServerLoad } from './$types';
import { jobCounts, listFailedJobs, retryJob } from '$lib/server/jobs';
import { translate } from '$lib/i18n';
import { requireOperator } from '$lib/server/http/operator';
import { pageParam } from '$lib/server/paging';


export const load: PageServerLoad = async ({ locals, url }) => {
	requireOperator(locals, url.pathname, 'jobs.read');
	const [counts, failed] = await Promise.all([jobCounts(), listFailedJobs({ page: pageParam(url), pageSize: 25 })]);
	const title = translate(locals.locale, 'jobs.title');
	return {
		title,
		crumbs: [
			{ label: translate(locals.locale, 'shell.home'), href: '/' },
			{ label: translate(locals.locale, 'operator.title'), href: '/betrieb' },
			{ label: title }
		],
		counts,
		failed: { ...failed, items: failed.items.map((j) => ({ id: j.id, kind: j.kind, attempts: j.attempts, lastError: (j.lastError ?? '').slice(0, 500), finishedAt: j.finishedAt })) }
	};
};

export const actions: Actions = {
	wiederholen: async ({ locals, url, request }) => {
		requireOperator(locals, url.pathname, 'jobs.read');
		const id = Number((await request.formData()).get('id'));
		if (!Number.isSafeInteger(id) || !(await retryJob(id))) return { retried: false };
		return { retried: true };
	}
};
