/** The directory of the built dashboard (`dist/`), served by @sightline/server at `/`. */
export declare const dashboardDist: URL;
