import { HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatInputHarness } from '@angular/material/input/testing';
import { MatSelectHarness } from '@angular/material/select/testing';
import { ClusterDetailResponse, UpdateClusterRequest } from '@pim/api-client';
import { aClusterDetail } from '../../../testing/api-fixtures';
import { byTestId } from '../../../testing/material-harnesses';
import { PmStatus } from '../../shared/issues/issue-labels';
import { ClusterTriageCard } from './cluster-triage-card';

describe('ClusterTriageCard', () => {
  let fixture: ComponentFixture<ClusterTriageCard>;
  let loader: HarnessLoader;
  let statuses: PmStatus[];
  let saved: UpdateClusterRequest[];

  async function render(canEdit: boolean, cluster: ClusterDetailResponse = aClusterDetail()): Promise<HTMLElement> {
    fixture = TestBed.createComponent(ClusterTriageCard);
    fixture.componentRef.setInput('cluster', cluster);
    fixture.componentRef.setInput('canEdit', canEdit);
    statuses = [];
    saved = [];
    fixture.componentInstance.statusChange.subscribe((status) => statuses.push(status));
    fixture.componentInstance.saved.subscribe((changes) => saved.push(changes));
    loader = TestbedHarnessEnvironment.loader(fixture);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const input = (testId: string): Promise<MatInputHarness> =>
    loader.getHarness(MatInputHarness.with({ selector: byTestId(testId) }));
  const button = (text: string): Promise<MatButtonHarness> => loader.getHarness(MatButtonHarness.with({ text }));

  it('asks for a status as soon as one is picked', async () => {
    await render(true);
    const select = await loader.getHarness(MatSelectHarness);
    await select.open();
    await select.clickOptions({ text: 'Fixed' });
    expect(statuses).toEqual(['fixed']);
  });

  it('saves only what changed, a cleared owner as null, and Discard puts the loaded values back', async () => {
    await render(true, aClusterDetail({ owner: 'Robin' }));
    const save = await button('Save');
    expect(await save.isDisabled()).toBe(true);

    await (await input('owner')).setValue('  ');
    await (await input('notes')).setValue('Billing team is on it');
    await save.click();
    expect(saved).toEqual([{ owner: null, pmNotes: 'Billing team is on it' }]);

    await (await button('Discard')).click();
    expect(await (await input('owner')).getValue()).toBe('Robin');
    expect(await (await input('notes')).getValue()).toBe('');
    expect(await save.isDisabled()).toBe(true);
    expect(await loader.hasHarness(MatButtonHarness.with({ text: 'Discard' }))).toBe(false);
  });

  it('waits while a change is on its way', async () => {
    await render(true);
    fixture.componentRef.setInput('saving', true);
    expect(await (await loader.getHarness(MatSelectHarness)).isDisabled()).toBe(true);
    await (await input('name')).setValue('VAT: reduced rate ignored');
    expect(await (await button('Save')).isDisabled()).toBe(true);
  });

  it('shows others the triage as text', async () => {
    const element = await render(false, aClusterDetail({ owner: 'Robin', pmStatus: 'reviewing' }));
    expect(await loader.hasHarness(MatSelectHarness)).toBe(false);
    expect(await loader.hasHarness(MatInputHarness)).toBe(false);
    expect(element.querySelector(byTestId('triage-readonly'))?.textContent).toContain('Reviewing');
    expect(element.querySelector(byTestId('triage-readonly'))?.textContent).toContain('Robin');
  });
});
