import { Body, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { ClustersQueryService } from './clusters-query.service';
import { ClustersTriageService } from './clusters-triage.service';
import { ClusterDetailResponse, ClusterPageResponse, ClusterResponse } from './dto/cluster.response';
import { ListClustersQuery } from './dto/list-clusters.query';
import { MergeClustersRequest } from './dto/merge-clusters.request';
import { SplitClusterRequest } from './dto/split-cluster.request';
import { UpdateClusterRequest } from './dto/update-cluster.request';
import { ApiController, EditorRoute, UuidParam } from '@app/common/api-controller';

@ApiController('clusters', 'clusters')
export class ClustersController {
  constructor(
    private readonly clusters: ClustersQueryService,
    private readonly triage: ClustersTriageService,
  ) {}

  /** Clusters (active ones by default) with filters, search and sort, e.g. `sort=issueCount:desc`. */
  @Get()
  listClusters(@Query() query: ListClustersQuery): Promise<ClusterPageResponse> {
    return this.clusters.list(query);
  }

  /** One cluster with its latest issues (quotes), their tickets (`zendeskUrl`), trend series and merge candidates. */
  @Get(':id')
  getCluster(@UuidParam() id: string): Promise<ClusterDetailResponse> {
    return this.clusters.get(id);
  }

  /** PM fields: status, notes, name (locks it), owner, external link. Audited. Editors and admins. */
  @EditorRoute(Patch(':id'), { conflict: 'The cluster was merged into another one' })
  updateCluster(
    @UuidParam() id: string,
    @Body() body: UpdateClusterRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.update(id, body, user);
  }

  /** Merges the source clusters into this one (they stay, marked merged). Audited. Editors and admins. */
  @EditorRoute(Post(':id/merge'), { conflict: 'A cluster was already merged into another one' })
  @HttpCode(HttpStatus.OK)
  mergeClusters(
    @UuidParam() id: string,
    @Body() body: MergeClustersRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.merge(id, body.sourceIds, user);
  }

  /** Moves the given issues of this cluster into a new cluster, which is returned. Audited. Editors and admins. */
  @EditorRoute(Post(':id/split'))
  @HttpCode(HttpStatus.CREATED)
  splitCluster(
    @UuidParam() id: string,
    @Body() body: SplitClusterRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.split(id, body.issueIds, body.name, user);
  }

  /**
   * Rejects the merge proposal between this cluster and `candidateId`: the two are not the same problem, and no
   * later run proposes the pair again. Audited. Editors and admins.
   */
  @EditorRoute(Delete(':id/merge-proposals/:candidateId'))
  @HttpCode(HttpStatus.NO_CONTENT)
  rejectMergeProposal(
    @UuidParam() id: string,
    @UuidParam('candidateId') candidateId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    return this.triage.rejectProposal(id, candidateId, user);
  }
}
