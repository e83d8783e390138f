/**
 * Hand-written fixtures for the analyzer specs: a small taxonomy and tickets worded the way customers
 * write (not generated from the simulator's templates).
 */
import { AnalyzerComment, AnalyzerTaxonomy, AnalyzerTicket, IssueType, Severity } from '../types';

export const TAXONOMY: AnalyzerTaxonomy = {
  categories: [
    {
      name: 'Billing',
      description: 'Charges, invoices, refunds and subscriptions',
      keywords: ['billing', 'invoice', 'charge', 'payment', 'refund', 'renewal'],
      subcategories: [
        {
          name: 'Charges',
          description: 'Wrong or duplicate charges and refunds',
          keywords: ['charged', 'refund', 'card'],
        },
        { name: 'Invoices', description: 'Invoice contents and copies', keywords: ['invoice', 'vat'] },
      ],
    },
    {
      name: 'Login & Access',
      description: 'Signing in, single sign-on and passwords',
      keywords: ['login', 'sso', 'password'],
      subcategories: [
        { name: 'SSO', description: 'Single sign-on with SAML identity providers', keywords: ['saml', 'okta', 'sso'] },
        { name: 'Passwords', description: 'Password resets and lockouts', keywords: ['password', 'reset'] },
      ],
    },
    {
      name: 'Reports',
      description: 'Dashboards, report filters and exports',
      keywords: ['report', 'dashboard'],
      subcategories: [
        {
          name: 'Export',
          description: 'Exporting reports to CSV, Excel or PDF',
          keywords: ['export', 'csv', 'excel', 'pdf', 'download'],
        },
        { name: 'Dashboards', description: 'Dashboard widgets and layout', keywords: ['dashboard', 'widget', 'chart'] },
        {
          name: 'Metrics',
          description: 'Revenue totals, counts and other numbers shown in reports',
          keywords: ['revenue', 'totals', 'numbers'],
        },
      ],
    },
    {
      name: 'Mobile',
      description: 'The iOS and Android apps',
      keywords: ['mobile', 'app', 'phone'],
      subcategories: [
        { name: 'iOS', description: 'iPhone and iPad app', keywords: ['ios', 'iphone', 'ipad'] },
        { name: 'Android', description: 'Android app', keywords: ['android'] },
      ],
    },
    {
      name: 'Integrations',
      description: 'Connections to other tools',
      keywords: ['integration', 'sync'],
      subcategories: [
        { name: 'Salesforce', description: 'Salesforce CRM sync', keywords: ['salesforce', 'crm'] },
        { name: 'Slack', description: 'Slack messages and alerts', keywords: ['slack', 'channel'] },
      ],
    },
    {
      name: 'Developer API',
      description: 'REST API, API documentation and webhooks',
      keywords: ['api', 'endpoint', 'webhook', 'developer'],
      subcategories: [
        {
          name: 'REST API',
          description: 'Endpoints, parameters and limits',
          keywords: ['api', 'endpoint', 'parameter', 'limit'],
        },
        { name: 'Webhooks', description: 'Webhook delivery', keywords: ['webhook'] },
      ],
    },
    {
      name: 'Administration',
      description: 'Users, teams, roles and workspace settings',
      keywords: ['user', 'team', 'settings', 'admin'],
      subcategories: [
        {
          name: 'Users & teams',
          description: 'Inviting users and managing teams',
          keywords: ['invite', 'user', 'team'],
        },
        {
          name: 'Navigation',
          description: 'Menus, navigation and where settings live',
          keywords: ['menu', 'navigation', 'settings'],
        },
      ],
    },
  ],
};

export const agent = (body: string): AnalyzerComment => ({ body, public: true, authorRole: 'agent' });
export const customer = (body: string): AnalyzerComment => ({ body, public: true, authorRole: 'end-user' });
export const note = (body: string): AnalyzerComment => ({ body, public: false, authorRole: 'agent' });

export interface ProblemFixture {
  name: string;
  ticket: AnalyzerTicket;
  issueType: IssueType;
  category?: string;
  subcategory?: string;
  severity?: Severity;
}

/** One or more tickets per issue type. */
export const PROBLEMS: readonly ProblemFixture[] = [
  {
    name: 'bug: sync fails with 500',
    issueType: 'bug',
    category: 'Integrations',
    subcategory: 'Salesforce',
    severity: 'medium',
    ticket: {
      subject: 'Salesforce sync broken',
      description:
        'Hello,\n\nSince Monday the Salesforce sync fails every night with "Error 500: internal server error". ' +
        'Opportunities created this week are not in the CRM report.\n\nBest regards,\nNadia\nFinance Ops',
      comments: [
        agent('Hi Nadia, thanks for the report. I was able to reproduce this and escalated it to our engineers.'),
        customer('Still failing last night, same error.'),
      ],
    },
  },
  {
    name: 'bug: mobile crash',
    issueType: 'bug',
    category: 'Mobile',
    subcategory: 'iOS',
    ticket: {
      subject: 'iPhone app closes right away',
      description:
        'The iOS app crashes as soon as I open the reports tab. Reinstalling did not help. iPhone 15, iOS 17.4.',
    },
  },
  {
    name: 'friction: too many steps',
    issueType: 'friction',
    category: 'Administration',
    subcategory: 'Users & teams',
    ticket: {
      subject: 'Inviting users is painful',
      description:
        'Adding a new user takes too many steps: six screens, and I have to re-enter the team for every single person. ' +
        'It is tedious when we onboard 30 people at once.',
    },
  },
  {
    name: 'ux confusion: moved settings',
    issueType: 'ux_confusion',
    category: 'Administration',
    subcategory: 'Navigation',
    ticket: {
      subject: 'New navigation is confusing',
      description:
        "Since the redesign the navigation menu is really confusing. It took me ages to find the team settings, and it's not obvious which icon opens them.",
    },
  },
  {
    name: 'feature request: dark mode',
    issueType: 'feature_request',
    category: 'Mobile',
    severity: 'low',
    ticket: {
      subject: 'Dark mode for the iPhone app',
      description:
        'It would be great if the iPhone app had a dark mode. Please add it, our night shift uses the app a lot.',
      comments: [agent('Thanks for the suggestion! I have added your vote to the feature request.')],
    },
  },
  {
    name: 'documentation gap: wrong limit in API docs',
    issueType: 'documentation_gap',
    category: 'Developer API',
    subcategory: 'REST API',
    ticket: {
      subject: 'API docs: limit parameter',
      description:
        'The API documentation says the limit parameter accepts up to 1000, but the endpoint only returns 100 items. ' +
        'The docs are outdated or the endpoint ignores the parameter.',
    },
  },
  {
    name: 'data issue: totals do not match',
    issueType: 'data_issue',
    category: 'Reports',
    subcategory: 'Metrics',
    ticket: {
      subject: 'Revenue totals are wrong',
      description:
        "The revenue totals on the monthly report don't match our Stripe numbers: March shows $12,400 but Stripe says $13,950. " +
        'Some orders seem to be counted twice.',
    },
  },
];

/** Tickets that are not product problems. */
export const NOISE: ReadonlyArray<{ name: string; ticket: AnalyzerTicket }> = [
  {
    name: 'how-to answered by support',
    ticket: {
      subject: 'How do I add a widget?',
      description: 'Hi! How do I add a second chart to my dashboard? I looked around but could not find it.',
      comments: [
        agent(
          'Hi Sam, you can add one from the "Add widget" button in the top bar of the dashboard. Here is our help article with screenshots.',
        ),
        customer('Found it, thanks!'),
      ],
    },
  },
  {
    name: 'password reset',
    ticket: {
      subject: 'Forgot my password',
      description:
        "I forgot my password and the reset link expired before I clicked it. Can you send a new one? I can't log in.",
      comments: [agent('I have sent you a new reset link.'), customer('Got it, works now.')],
    },
  },
  {
    name: 'billing question',
    ticket: {
      subject: 'Invoice copy',
      description: 'Could you send me a copy of our March invoice? Our accountant needs it for the audit.',
      comments: [agent('Attached! You can also download invoices under Settings > Billing.')],
    },
  },
  {
    name: 'thank-you',
    ticket: {
      subject: 'Thanks!',
      description: 'Just wanted to say thank you to Maria for the onboarding call, the team loves the new dashboards.',
    },
  },
  {
    name: 'cancellation',
    ticket: {
      subject: 'Cancel our subscription',
      description:
        'We would like to cancel our subscription at the end of the term. The project has ended. Thanks for everything.',
    },
  },
  {
    name: 'product question',
    ticket: {
      subject: 'Snowflake?',
      description: 'Do you support Snowflake as a data source?',
      comments: [agent('Yes, Snowflake is supported with key-pair authentication.')],
    },
  },
];

/** Customer-authored texts of a ticket (what a quote may come from). */
export function customerTexts(t: AnalyzerTicket): string[] {
  return [
    t.subject,
    t.description ?? '',
    ...(t.comments ?? []).filter((c) => c.public && c.authorRole === 'end-user').map((c) => c.body),
  ];
}
