/*
 * The name the user gave this tablet at PIN setup ("平板 3"), kept in localStorage for the
 * device's registration (the administrator's list shows it with a short model/OS summary).
 * Not personal: a tablet's name, the same for everyone who uses it.
 */
const KEY = 'doorstep.deviceName';
export const DEVICE_NAME_MAX = 40;

export function rememberedDeviceName(): string {
	try {
		return (localStorage.getItem(KEY) ?? '').slice(0, DEVICE_NAME_MAX);
	} catch {
		return '';
	}
}

export function rememberDeviceName(name: string): void {
	localStorage.setItem(KEY, name.trim().slice(0, DEVICE_NAME_MAX));
}
