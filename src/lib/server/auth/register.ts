// Creating an account by accepting an invitation: the only way an account comes into being,
// apart from the operator CLI. The e-mail address is the one the invitation was sent to.
import { APIError } from 'better-auth/api';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { RequestEvent } from '@sveltejs/kit';
import { auth } from './index';
import { db } from '../db/client';
import { users } from '../db/schema';
import { acceptInvitation, findInvitation } from '../network/invitations';
import { ValidationError } from '../errors';
import { parseForm, requiredText } from '../validation';
import { newPasswordSchema } from './sign-in';

const registerSchema = z.object({ name: requiredText(200) }).and(newPasswordSchema);

export async function registerByInvitation(event: RequestEvent, getEvent: () => RequestEvent, token: string, input: unknown) {
	const data = parseForm(registerSchema, input);
	const inv = await findInvitation(token);
	if (!inv || inv.state !== 'valid') throw new ValidationError({ _form: 'invitation.invalid' });
	const [existing] = await db().select({ id: users.id }).from(users).where(eq(users.email, inv.email));
	if (existing) throw new ValidationError({ _form: 'invitation.accountExists' });
	let userId: string;
	try {
		const res = await auth(getEvent).api.signUpEmail({
			body: { name: data.name, email: inv.email, password: data.password },
			headers: event.request.headers
		});
		userId = res.user.id;
	} catch (e) {
		if (e instanceof APIError) throw new ValidationError({ _form: 'invitation.accountExists' });
		throw e;
	}
	try {
		return await acceptInvitation(token, userId);
	} catch (e) {
		// The invitation was taken in the meantime: don't leave an account without a role behind.
		await db().delete(users).where(eq(users.id, userId));
		throw e;
	}
}
