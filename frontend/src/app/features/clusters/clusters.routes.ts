import { Routes } from '@angular/router';
import { ClusterDetailPage } from './cluster-detail-page';
import { ClusterListPage } from './cluster-list-page';

export const CLUSTERS_ROUTES: Routes = [
  { path: '', component: ClusterListPage, title: 'Clusters' },
  { path: ':id', component: ClusterDetailPage, title: 'Cluster' },
];

export default CLUSTERS_ROUTES;
