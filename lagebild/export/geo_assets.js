// The export browser's base map for Plotly's geo figures: empty.
// Our static maps draw only the Kreise they are given (geo.visible = false), but plotly.js loads a
// base map (world_110m) for every geo figure, by default from cdn.plot.ly. Offered here, nothing is fetched.
window.PlotlyGeoAssets = Object.assign(window.PlotlyGeoAssets || {}, {
  topojson: { world_110m: { type: "Topology", objects: {}, arcs: [] } },
});
