import { createRouter } from '../../lib/router';
import * as likes from './likes.handlers';
import * as likeRoutes from './likes.routes';
import * as handlers from './posts.handlers';
import * as routes from './posts.routes';

export const postsRouter = createRouter()
  .openapi(routes.listPosts, handlers.listPosts)
  .openapi(routes.createPost, handlers.createPost)
  .openapi(routes.getPost, handlers.getPost)
  .openapi(routes.updatePost, handlers.updatePost)
  .openapi(routes.deletePost, handlers.deletePost)
  .openapi(likeRoutes.likePost, likes.likePost)
  .openapi(likeRoutes.unlikePost, likes.unlikePost)
  .openapi(likeRoutes.listPostLikes, likes.listPostLikes);
