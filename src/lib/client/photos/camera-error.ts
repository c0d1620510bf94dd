/*
 * Why the camera did not open, from getUserMedia's DOMException name (issue 13: "no camera at
 * all" was reported as "maybe in use by another app"). Pure: the dialog translates the code.
 */
export type CameraProblem = 'denied' | 'none' | 'busy' | 'failed';

export function cameraProblem(name: string): CameraProblem {
	switch (name) {
		case 'NotAllowedError':
		case 'SecurityError':
			return 'denied';
		// No camera at all, or none that can film as asked (the rear camera of a laptop…).
		case 'NotFoundError':
		case 'DevicesNotFoundError':
		case 'OverconstrainedError':
			return 'none';
		// The hardware is there but cannot be read: typically another app holds it.
		case 'NotReadableError':
		case 'TrackStartError':
		case 'AbortError':
			return 'busy';
		default:
			return 'failed';
	}
}
