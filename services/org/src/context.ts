import { RequestContext } from '@cascade/kernel';
import { OrgLoaders } from './loaders';

/** The org service's request context: the kernel's, plus this request's loaders. */
export interface OrgContext extends RequestContext {
  loaders: OrgLoaders;
}
