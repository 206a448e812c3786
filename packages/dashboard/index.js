// @sightline/dashboard: the built single-page app lives in ./dist (served by @sightline/server at `/`).
export const dashboardDist = new URL('./dist/', import.meta.url);
