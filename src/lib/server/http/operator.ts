import { error, redirect } from '@sveltejs/kit';
import { canOperate, type OperatorAction } from '../network/permissions';

/** Operator pages: visitors go to sign-in, everyone else without the right gets 403. */
export function requireOperator(locals: App.Locals, path: string, action: OperatorAction = 'networks.list') {
	if (!locals.actor.userId) redirect(303, `/anmelden?weiter=${encodeURIComponent(path)}`);
	if (!canOperate(locals.actor, action)) error(403, 'Diese Seite ist dem Betrieb der Installation vorbehalten.');
}
