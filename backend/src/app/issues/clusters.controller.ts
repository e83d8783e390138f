import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse } from '@nestjs/swagger';
import { Roles } from '@app/auth/auth.constants';
import { AuthenticatedUser, CurrentUser } from '@app/auth/authenticated-user';
import { ClustersQueryService } from './clusters-query.service';
import { ClustersTriageService } from './clusters-triage.service';
import { ClusterDetailResponse, ClusterPageResponse, ClusterResponse } from './dto/cluster.response';
import { ListClustersQuery } from './dto/list-clusters.query';
import { MergeClustersRequest } from './dto/merge-clusters.request';
import { SplitClusterRequest } from './dto/split-cluster.request';
import { UpdateClusterRequest } from './dto/update-cluster.request';
import { UuidPipe } from '@app/common/param-pipes';
import { ApiController } from '@app/common/api-controller';

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
  getCluster(@Param('id', UuidPipe) id: string): Promise<ClusterDetailResponse> {
    return this.clusters.get(id);
  }

  /** PM fields: status, notes, name (locks it), owner, external link. Audited. Editors and admins. */
  @Roles('editor')
  @Patch(':id')
  @ApiConflictResponse({ description: 'The cluster was merged into another one' })
  updateCluster(
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateClusterRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.update(id, body, user);
  }

  /** Merges the source clusters into this one (they stay, marked merged). Audited. Editors and admins. */
  @Roles('editor')
  @Post(':id/merge')
  @HttpCode(HttpStatus.OK)
  @ApiConflictResponse({ description: 'A cluster was already merged into another one' })
  mergeClusters(
    @Param('id', UuidPipe) id: string,
    @Body() body: MergeClustersRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.merge(id, body.sourceIds, user);
  }

  /** Moves the given issues of this cluster into a new cluster, which is returned. Audited. Editors and admins. */
  @Roles('editor')
  @Post(':id/split')
  @HttpCode(HttpStatus.CREATED)
  splitCluster(
    @Param('id', UuidPipe) id: string,
    @Body() body: SplitClusterRequest,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ClusterResponse> {
    return this.triage.split(id, body.issueIds, body.name, user);
  }

  /**
   * Rejects the merge proposal between this cluster and `candidateId`: the two are not the same problem, and no
   * later run proposes the pair again. Audited. Editors and admins.
   */
  @Roles('editor')
  @Delete(':id/merge-proposals/:candidateId')
  @HttpCode(HttpStatus.NO_CONTENT)
  rejectMergeProposal(
    @Param('id', UuidPipe) id: string,
    @Param('candidateId', UuidPipe) candidateId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    return this.triage.rejectProposal(id, candidateId, user);
  }
}
