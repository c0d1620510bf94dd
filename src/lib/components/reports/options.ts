import type { ChartOption } from './echarts';

/*
 * ECharts options for the report's charts. Colours follow the status colours of the design
 * (docs: ui.md), always with a word in the legend or the table below.
 */

export const COLORS = {
	brand: '#0b6e69',
	info: '#1d4ed8',
	completed: '#2e7d32',
	not_home: '#e07b00',
	refused: '#c62828',
	follow_up: '#b8860b',
	grid: '#e3e8ee',
	ink: '#1a2430',
	soft: '#4a5665'
} as const;

const AXIS = { axisLine: { lineStyle: { color: COLORS.grid } }, axisLabel: { color: COLORS.soft }, splitLine: { lineStyle: { color: COLORS.grid } } };

export function gaugeOption(rate: number | null, label: string, text: string): ChartOption {
	const value = rate === null ? 0 : Math.round(rate * 1000) / 10;
	const color = rate === null ? COLORS.grid : rate >= 0.95 ? COLORS.completed : rate >= 0.8 ? COLORS.follow_up : COLORS.refused;
	return {
		animation: false,
		series: [
			{
				type: 'gauge',
				startAngle: 210,
				endAngle: -30,
				min: 0,
				max: 100,
				radius: '92%',
				progress: { show: true, width: 16, itemStyle: { color } },
				axisLine: { lineStyle: { width: 16, color: [[1, COLORS.grid]] } },
				axisTick: { show: false },
				splitLine: { show: false },
				axisLabel: { show: false },
				pointer: { show: false },
				anchor: { show: false },
				title: { offsetCenter: [0, '38%'], fontSize: 14, color: COLORS.soft },
				detail: { valueAnimation: false, offsetCenter: [0, '-4%'], fontSize: 30, fontWeight: 700, color: COLORS.ink, formatter: () => text },
				data: [{ value, name: label }]
			}
		]
	};
}

export function outcomesOption(months: string[], series: { name: string; key: keyof typeof COLORS; data: number[] }[]): ChartOption {
	return {
		animation: false,
		color: series.map((s) => COLORS[s.key]),
		tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
		legend: { bottom: 0, textStyle: { color: COLORS.ink } },
		grid: { left: 40, right: 16, top: 16, bottom: 56 },
		xAxis: { type: 'category', data: months, ...AXIS, splitLine: { show: false } },
		yAxis: { type: 'value', minInterval: 1, ...AXIS },
		series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'outcomes', barMaxWidth: 28, data: s.data }))
	};
}

export function trendOption(months: string[], received: { name: string; data: number[] }, rates: { name: string; data: (number | null)[]; color: string }[], rateAxis: string): ChartOption {
	return {
		animation: false,
		tooltip: { trigger: 'axis' },
		legend: { bottom: 0, textStyle: { color: COLORS.ink } },
		grid: { left: 44, right: 48, top: 24, bottom: 56 },
		xAxis: { type: 'category', data: months, ...AXIS, splitLine: { show: false } },
		yAxis: [
			{ type: 'value', minInterval: 1, ...AXIS },
			{ type: 'value', name: rateAxis, min: 0, max: 100, axisLabel: { color: COLORS.soft, formatter: '{value}%' }, splitLine: { show: false }, nameTextStyle: { color: COLORS.soft } }
		],
		series: [
			{ type: 'bar', name: received.name, data: received.data, barMaxWidth: 24, itemStyle: { color: '#9cc9c5' } },
			...rates.map((r) => ({ type: 'line' as const, name: r.name, yAxisIndex: 1, data: r.data.map((x) => (x === null ? null : Math.round(x * 1000) / 10)), connectNulls: true, symbolSize: 7, lineStyle: { width: 3, color: r.color }, itemStyle: { color: r.color } }))
		]
	};
}

export function horizontalBarOption(labels: string[], values: number[], color: string, name: string): ChartOption {
	return {
		animation: false,
		tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
		grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
		xAxis: { type: 'value', minInterval: 1, ...AXIS },
		yAxis: { type: 'category', data: labels, inverse: true, ...AXIS, splitLine: { show: false } },
		series: [{ type: 'bar', name, data: values, barMaxWidth: 22, itemStyle: { color, borderRadius: [0, 4, 4, 0] }, label: { show: true, position: 'right', color: COLORS.ink } }]
	};
}
