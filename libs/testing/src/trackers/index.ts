export * from './jira';
export * from './linear';
