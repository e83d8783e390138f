/** Another cluster to merge into or move issues to. */
export interface ClusterTarget {
  id: string;
  name: string;
  issueCount: number;
}
