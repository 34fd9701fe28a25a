import { LineChart, MapChart } from "echarts/charts";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

/**
 * ECharts with only the parts the charts use, for the page (bundled) and for Node (server-side
 * SVG): the same renderer draws both, so a chart file and the page show the same thing.
 */
echarts.use([LineChart, MapChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
