import { Routes } from '@angular/router';
import { ClusterListPage } from './cluster-list-page';

export const CLUSTERS_ROUTES: Routes = [{ path: '', component: ClusterListPage, title: 'Clusters' }];

export default CLUSTERS_ROUTES;
