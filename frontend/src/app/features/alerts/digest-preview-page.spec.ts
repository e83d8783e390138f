import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { DigestClusterResponse, DigestResponse } from '@pim/api-client';
import { DigestPreviewPage } from './digest-preview-page';

const cluster = (id: string, name: string, over: Partial<DigestClusterResponse> = {}): DigestClusterResponse => ({
  id,
  name,
  issueCount: 12,
  count7d: 6,
  trendPct: 50,
  uniqueCustomers: 4,
  severityMax: 'high',
  quote: null,
  url: `https://console.test/clusters/${id}`,
  ...over,
});

describe('DigestPreviewPage', () => {
  it('shows each section with its clusters, trend and quote, and says when a section is empty', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    });
    const backend = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(DigestPreviewPage);
    fixture.detectChanges();
    const digest: DigestResponse = {
      from: '2026-11-30T08:00:00.000Z',
      to: '2026-12-07T08:00:00.000Z',
      top: [cluster('c1', 'CSV export times out', { quote: 'The export spins forever' })],
      new: [cluster('c2', 'Android crash', { trendPct: null })],
      rising: [],
      regressions: [cluster('c3', 'Login loop')],
    };
    backend.expectOne('/api/alerts/digest/preview').flush(digest);
    await fixture.whenStable();
    fixture.detectChanges();
    const root = fixture.nativeElement as HTMLElement;
    const section = (key: string) => root.querySelector(`[data-testid="digest-${key}"]`)?.textContent ?? '';
    expect(section('top')).toContain('CSV export times out');
    expect(section('top')).toContain('+50% week over week');
    expect(section('top')).toContain('The export spins forever');
    expect(section('new')).toContain('new this week');
    expect(section('rising')).toContain('Nothing is rising week over week.');
    expect(section('regressions')).toContain('Login loop');
    backend.verify();
  });
});
