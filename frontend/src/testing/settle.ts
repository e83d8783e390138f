import { ComponentFixture } from '@angular/core/testing';

/**
 * Lets pending promise callbacks run (the generated API client may return promises, which Angular's
 * stability tracking does not see), then waits for the component to render.
 */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
