import { describe, expect, it } from 'vitest';
import { cameraProblem } from './camera-error';

describe('why the camera did not open (issue 13)', () => {
	it('tells "no camera" apart from "in use" and "not allowed"', () => {
		expect(cameraProblem('NotFoundError')).toBe('none');
		expect(cameraProblem('OverconstrainedError')).toBe('none');
		expect(cameraProblem('NotReadableError')).toBe('busy');
		expect(cameraProblem('AbortError')).toBe('busy');
		expect(cameraProblem('NotAllowedError')).toBe('denied');
		expect(cameraProblem('SecurityError')).toBe('denied');
		expect(cameraProblem('TypeError')).toBe('failed');
		expect(cameraProblem('')).toBe('failed');
	});
});
