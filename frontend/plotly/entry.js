// The plotly.js the app's charts need, and nothing more: the core and the six trace types (scatter comes with the core) the
// figures of kam_core/charts use. Streamlit's own plotly chunk is the whole library (4.7 MB), whose
// evaluation cost ~1.2 s in every new browser tab; this one is ~1.4 MB (bench/RESULTS.md).
// Build: `make plotly-bundle` (writes static/plotly-kam.js; the built file is committed).
import Plotly from "plotly.js/lib/core";
import bar from "plotly.js/lib/bar";
import choropleth from "plotly.js/lib/choropleth";
import heatmap from "plotly.js/lib/heatmap";
import pie from "plotly.js/lib/pie";
import treemap from "plotly.js/lib/treemap";
import waterfall from "plotly.js/lib/waterfall";

Plotly.register([bar, choropleth, heatmap, pie, treemap, waterfall]);

export default Plotly;
