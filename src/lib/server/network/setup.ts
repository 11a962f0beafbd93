// The operator's way to bring a new network to life: create it, add the Kommunalrichtlinie and
// invite its first coordinator – in ONE transaction, so a failing step leaves nothing half-done
// (no network without its programme or its coordinator's invitation, no invitation mail queued).
// Used by the operator page and the CLI alike.
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { db } from '../db/client';
import { createNetwork, createNetworkSchema } from './networks';
import { createInvitation, type CreatedInvitation } from './invitations';
import { email, optionalText, parseForm } from '../validation';
import { ValidationError } from '../errors';
import { seedKommunalrichtlinie } from '../funding/seed';
import { seedDefaultTopics } from '../exchange/topics';

const coordinatorSchema = z.object({ coordinatorEmail: email, coordinatorName: optionalText(200) });

export async function setUpNetwork(actor: Actor, input: Record<string, unknown>, opts: { isDemo?: boolean } = {}) {
	// Validate both parts first, so a bad e-mail doesn't leave a network without a coordinator.
	let coordinator: z.output<typeof coordinatorSchema> | null = null;
	let errors: Record<string, string> = {};
	try {
		coordinator = parseForm(coordinatorSchema, input);
	} catch (e) {
		if (!(e instanceof ValidationError)) throw e;
		errors = e.fieldErrors;
	}
	if (Object.keys(errors).length) {
		// Still validate the network fields to report all errors at once; nothing is written.
		try {
			parseForm(createNetworkSchema, input);
		} catch (e) {
			if (e instanceof ValidationError) throw new ValidationError({ ...errors, ...e.fieldErrors });
			throw e;
		}
		throw new ValidationError(errors);
	}
	return db().transaction(async (tx) => {
		const network = await createNetwork(actor, input, { isDemo: opts.isDemo, tx });
		// Every municipality meets the Kommunalrichtlinie 4.1.8 first: a new network starts with it.
		await seedKommunalrichtlinie(actor, network.id, { tx });
		// The exchange starts with the usual fields (energy, buildings, mobility …), renamable later.
		await seedDefaultTopics(tx, actor, network.id);
		const invitation: CreatedInvitation = await createInvitation(
			actor,
			network.id,
			{ email: coordinator!.coordinatorEmail, name: coordinator!.coordinatorName, role: 'coordinator' },
			{ tx }
		);
		return { network, invitation };
	});
}
