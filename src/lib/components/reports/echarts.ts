/*
 * The parts of Apache ECharts the report uses, and nothing else (tree-shaken): line and bar
 * charts, a gauge, grid/tooltip/legend, the SVG renderer (sharp on A4 paper). Imported only by
 * ReportChart through import(), so only /reports loads it.
 */
import { init, use, type ComposeOption } from 'echarts/core';
import { BarChart, GaugeChart, LineChart, type BarSeriesOption, type GaugeSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GaugeChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | GaugeSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
export { init };
