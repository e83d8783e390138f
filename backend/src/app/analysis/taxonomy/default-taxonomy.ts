import { TaxonomyCategory, TaxonomyData } from './taxonomy.types';

const cat = (
  key: string,
  name: string,
  description: string,
  subs: Array<[key: string, name: string, description: string]>,
): TaxonomyCategory => ({
  key,
  name,
  description,
  aliases: [],
  subcategories: subs.map(([k, n, d]) => ({ key: k, name: n, description: d, aliases: [] })),
});

/**
 * The taxonomy a fresh installation starts with: a generic B2B SaaS product. Stored in the database on first
 * use and edited there (`PUT /api/settings/taxonomy`); this is only the seed.
 */
export const DEFAULT_TAXONOMY: TaxonomyData = {
  categories: [
    cat('authentication', 'Authentication & access', 'Signing in, single sign-on, passwords, sessions and 2FA.', [
      ['login', 'Login', 'Email/password sign-in failing, login loops, locked accounts.'],
      ['sso', 'Single sign-on', 'SAML/OIDC SSO with Okta, Azure AD, Google: setup, certificates, redirects.'],
      ['mfa', 'Two-factor', 'Two-factor codes, authenticator apps, recovery codes.'],
      ['sessions', 'Sessions', 'Unexpected logouts, session timeouts, remember-me.'],
    ]),
    cat('permissions', 'Users & permissions', 'Roles, access rights, seats and user management inside an account.', [
      ['roles', 'Roles', 'What viewers, editors and admins can see or change; wrong access granted or denied.'],
      ['user_management', 'User management', 'Inviting, deactivating and transferring users; seats.'],
      ['sharing', 'Sharing', 'Sharing dashboards, reports or links with people inside or outside the account.'],
    ]),
    cat('billing', 'Billing & subscription', 'Plans, payments, invoices, refunds and what customers are charged.', [
      ['payments', 'Payments', 'Card charges, duplicate or failed payments, payment methods.'],
      ['invoices', 'Invoices', 'Invoice content, tax/VAT details, invoice delivery.'],
      ['plans', 'Plans & upgrades', 'Upgrading, downgrading, trials, plan limits and pricing.'],
      ['refunds', 'Refunds & cancellation', 'Refund requests, cancelling, renewals.'],
    ]),
    cat('dashboards', 'Dashboards & visualisation', 'Building and viewing dashboards, charts and widgets.', [
      ['charts', 'Charts & widgets', 'Chart types, widget configuration, rendering glitches.'],
      ['filters', 'Filters & date ranges', 'Dashboard filters, date pickers, time zones of date ranges.'],
      ['layout', 'Layout & editing', 'Arranging, resizing, duplicating and editing dashboards.'],
    ]),
    cat('reporting', 'Reports & exports', 'Reports, scheduled deliveries and getting data out (CSV, PDF, Excel).', [
      ['exports', 'Exports', 'CSV/Excel/PDF export failing, timing out, or producing wrong files.'],
      ['scheduled_reports', 'Scheduled reports', 'Reports sent on a schedule by email or to other tools.'],
      ['report_builder', 'Report builder', 'Creating and configuring reports, metrics and calculated fields.'],
    ]),
    cat('data', 'Data & accuracy', 'Whether the numbers and records the product shows are correct and complete.', [
      ['data_accuracy', 'Accuracy', 'Wrong totals, mismatched numbers, incorrect calculations.'],
      ['data_sync', 'Data sync & import', 'Importing data, data sources refreshing late or not at all.'],
      ['data_loss', 'Missing or lost data', 'Records that disappeared, duplicates, lost changes.'],
    ]),
    cat('integrations', 'Integrations', 'Connections to other tools: Slack, Salesforce, HubSpot, Zapier, Google.', [
      ['messaging', 'Slack & Teams', 'Notifications and messages posted to chat tools.'],
      ['crm', 'CRM', 'Salesforce, HubSpot and other CRM connectors.'],
      ['automation', 'Zapier & automation', 'Zapier, Make and other automation connectors.'],
      ['other_integrations', 'Other integrations', 'Any other third-party connector.'],
    ]),
    cat('api', 'API & webhooks', 'The public REST API, API keys, rate limits and webhooks developers use.', [
      ['rest_api', 'REST API', 'Endpoints, errors, pagination, API documentation mismatches.'],
      ['webhooks', 'Webhooks', 'Webhook delivery, ordering, retries and signatures.'],
      ['api_limits', 'Rate limits & keys', 'API rate limits, quotas, key management.'],
    ]),
    cat('notifications', 'Notifications', 'Emails, alerts and in-app notifications the product sends.', [
      ['email_notifications', 'Email', 'Alert and digest emails: missing, late, duplicated, wrong content.'],
      ['alerts', 'Alerts', 'Threshold alerts and in-app notifications.'],
    ]),
    cat('mobile', 'Mobile apps', 'The iOS and Android apps.', [
      ['ios', 'iOS', 'iPhone and iPad app problems.'],
      ['android', 'Android', 'Android app problems, including device- or version-specific crashes.'],
    ]),
    cat(
      'performance',
      'Performance & reliability',
      'Speed, timeouts, outages and errors that are not tied to one feature.',
      [
        ['slowness', 'Slowness', 'Pages, dashboards or queries that load slowly.'],
        ['outages', 'Outages & errors', 'The product down, 5xx errors, blank pages.'],
      ],
    ),
    cat('account', 'Account & workspace', 'Account settings, workspace configuration, onboarding and localisation.', [
      ['settings', 'Settings', 'Account and workspace settings, time zone, language, branding.'],
      ['onboarding', 'Onboarding', 'Getting started, setup wizards, first-use experience.'],
      ['security_compliance', 'Security & compliance', 'Audit logs, GDPR/data deletion, security reviews.'],
    ]),
  ],
  issueTypes: [
    { key: 'bug', description: 'Something does not work as designed: errors, crashes, wrong behaviour.' },
    {
      key: 'friction',
      description: 'It works, but it is slow, tedious or needs too many steps or manual workarounds.',
    },
    {
      key: 'ux_confusion',
      description: 'Users cannot find something or misunderstand how it works, although it works as designed.',
    },
    { key: 'feature_request', description: 'A capability the product does not have and the customer asks for.' },
    { key: 'documentation_gap', description: 'Help articles, API docs or in-product guidance are missing or wrong.' },
    { key: 'data_issue', description: 'Data shown or exported is wrong, missing, duplicated or out of date.' },
  ],
  severities: [
    {
      key: 'critical',
      description:
        'Money or compliance at stake, data loss or a security exposure, or a complete blocker for an account.',
    },
    { key: 'high', description: 'A core workflow is broken or badly degraded for the customer, no good workaround.' },
    { key: 'medium', description: 'A real problem with a workaround, or affecting a secondary workflow.' },
    { key: 'low', description: 'Cosmetic, minor inconvenience, or a nice-to-have request.' },
  ],
  productContext:
    'A B2B SaaS analytics product: customers (companies on Starter, Growth and Enterprise plans) connect data ' +
    'sources, build dashboards and reports, share them with colleagues, export data and get alerts. It has a web ' +
    'app, iOS and Android apps, a public REST API with webhooks, and integrations with Slack, Salesforce, HubSpot ' +
    'and Zapier. Support tickets come from end users and account admins; agents answer with public replies and ' +
    'write internal notes for each other.',
  redaction: { email: true, phone: true, card: true, iban: true, ip: true, url: true },
  history: [],
};
