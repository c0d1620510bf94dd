import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` callback for dialog forms: let SvelteKit apply the result (update `form`,
 * reload the data) and run `onSuccess` (close the dialog) only when the save went through —
 * on a failure the dialog stays open with what the user typed and the errors.
 */
export function afterSave(onSuccess: () => void): SubmitFunction {
	return () =>
		async ({ result, update }) => {
			await update();
			if (result.type === 'success') onSuccess();
		};
}
